import { randomUUID } from 'node:crypto';
import { aCultureCompleteBatch as cultureCompleteBatch } from '../support/batch-fixtures';
import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import {
  aDose,
  aQcResult,
  aReceivedDose,
  aReleasedBatch,
  passingQc,
  QcBody,
  release,
} from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

describe('quality: QC results, corrections and what a result after release sets off', () => {
  let t: TestApp;
  let cast: Cast;
  let qa2: Person;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
    qa2 = await aPerson(t.http, 'qa');
  });
  afterAll(async () => {
    await t.close();
  });

  const aCultureCompleteBatch = () => cultureCompleteBatch(t.http, cast);

  function record(batchId: string, who: Person | string, body: Record<string, unknown>) {
    return t.http
      .post(`/api/v1/batches/${batchId}/qc-results`)
      .set(...bearer(who))
      .send({ testedAt: ago(HOUR), ...body });
  }

  async function qcCount(batchId: string): Promise<number> {
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM qc_results WHERE batch_id = $1', [
      batchId,
    ]);
    return rows[0].n;
  }

  async function batchQc(batchId: string): Promise<{ complete: boolean; passed: boolean }> {
    const response = await t.http
      .get(`/api/v1/batches/${batchId}`)
      .set(...bearer(cast.qa))
      .expect(200);
    return response.body.qc;
  }

  const fieldsOf = (body: { details: { fields: { field: string }[] } }) =>
    body.details.fields.map((f) => f.field);

  it('judges a result against the batch specification and stores the limit applied', async () => {
    const batch = await aCultureCompleteBatch();
    const endotoxin = await record(batch.id, cast.technician, {
      test: 'ENDOTOXIN',
      value: 0.3,
      unit: 'EU/mL',
    });
    expect(endotoxin.status).toBe(201);
    expect(endotoxin.body).toMatchObject({
      id: expect.any(String),
      test: 'ENDOTOXIN',
      outcome: 'PASS',
      value: 0.3,
      spec: { kind: 'NUMERIC', specVersion: 'ADSC-2026.1', operator: '<', limit: 0.5, unit: 'EU/mL' },
      recordedAfterRelease: false,
      recordedBy: cast.technician.id,
    });
    const viability = await record(batch.id, cast.technician, { test: 'VIABILITY', value: 65 });
    expect(viability.body).toMatchObject({ outcome: 'FAIL', spec: { operator: '>=', limit: 70 } });
    // CELL_COUNT is judged against this batch's own target (100 million viable cells).
    const count = await record(batch.id, cast.qa, { test: 'CELL_COUNT', value: 99_999_999 });
    expect(count.body).toMatchObject({ outcome: 'FAIL', spec: { limit: 100_000_000 } });
    const sterility = await record(batch.id, cast.technician, { test: 'STERILITY', result: 'PENDING' });
    expect(sterility.body).toMatchObject({ outcome: 'PENDING', result: 'PENDING', value: null });
    const { rows } = await t.sql.query(
      `SELECT count(*)::int AS n FROM audit_entries WHERE entity_type = 'batch' AND entity_id = $1 AND action = 'batch.qc_result_recorded'`,
      [batch.id],
    );
    expect(rows[0].n).toBe(4);
  });

  it('judges a value below the detection limit by the limit: "< 0.05" endotoxin passes, "< 75" viability fails', async () => {
    const batch = await aCultureCompleteBatch();
    const endotoxin = await record(batch.id, cast.technician, {
      test: 'ENDOTOXIN',
      value: 0.05,
      qualifier: '<',
    });
    expect(endotoxin.body.outcome).toBe('PASS');
    const viability = await record(batch.id, cast.technician, {
      test: 'VIABILITY',
      value: 75,
      qualifier: '<',
    });
    expect(viability.body.outcome).toBe('FAIL');
  });

  it.each<[string, QcBody, string]>([
    ['a value for a categorical test', { test: 'STERILITY', value: 0 }, 'value'],
    ['a categorical test without its result', { test: 'MYCOPLASMA' }, 'result'],
    ['PENDING mycoplasma (its result is final)', { test: 'MYCOPLASMA', result: 'PENDING' }, 'result'],
    ['a result for a numeric test', { test: 'ENDOTOXIN', result: 'NEGATIVE', value: 0.1 }, 'result'],
    ['a percentage over 100', { test: 'VIABILITY', value: 101 }, 'value'],
    ['a negative value', { test: 'ENDOTOXIN', value: -1 }, 'value'],
    ['a fractional cell count', { test: 'CELL_COUNT', value: 150_000_000.5 }, 'value'],
    ['a qualifier other than "<"', { test: 'ENDOTOXIN', value: 0.1, qualifier: '>' }, 'qualifier'],
    ['an unknown test', { test: 'KARYOTYPE', value: 1 }, 'test'],
    ['correctsId without a reason', { test: 'VIABILITY', value: 90, correctsId: randomUUID() }, 'reason'],
    ['an unknown field', { test: 'VIABILITY', value: 90, outcome: 'PASS' }, 'outcome'],
  ])('refuses %s (400 naming the field) and writes nothing', async (_case, body, field) => {
    const batch = await aCultureCompleteBatch();
    const response = await record(batch.id, cast.technician, body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(response.body)).toContain(field);
    expect(await qcCount(batch.id)).toBe(0);
  });

  it("refuses a unit other than the specification's (400 naming unit)", async () => {
    const batch = await aCultureCompleteBatch();
    const response = await record(batch.id, cast.technician, {
      test: 'ENDOTOXIN',
      value: 0.1,
      unit: 'ng/mL',
    });
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body)).toEqual(['unit']);
    expect(await qcCount(batch.id)).toBe(0);
  });

  it('refuses a testedAt in the future (400) and a doctor or admin recording QC (403)', async () => {
    const batch = await aCultureCompleteBatch();
    const future = await record(batch.id, cast.technician, {
      test: 'VIABILITY',
      value: 90,
      testedAt: new Date(Date.now() + HOUR).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(fieldsOf(future.body)).toEqual(['testedAt']);
    for (const who of [cast.doctor, cast.admin]) {
      const response = await record(batch.id, who, { test: 'VIABILITY', value: 90 });
      expect(response.status).toBe(403);
    }
    expect(await qcCount(batch.id)).toBe(0);
  });

  it('refuses QC on a batch that is not in culture or later, or is decided otherwise (INVALID_TRANSITION), and 404 for none', async () => {
    const batch = await aCultureCompleteBatch();
    await t.http
      .post(`/api/v1/batches/${batch.id}/discard`)
      .set(...bearer(cast.qa))
      .send({ reason: 'Contaminated' })
      .expect(200);
    const discarded = await record(batch.id, cast.technician, { test: 'VIABILITY', value: 90 });
    expect(discarded.status).toBe(409);
    expect(discarded.body.code).toBe('INVALID_TRANSITION');
    const unknown = await record(randomUUID(), cast.technician, { test: 'VIABILITY', value: 90 });
    expect(unknown.status).toBe(404);
  });

  it('keeps a FAIL counting after a passing retest; only a QA correction with a reason lifts it', async () => {
    const batch = await aCultureCompleteBatch();
    await passingQc(t.http, batch.id, cast.technician.token, { except: ['ENDOTOXIN'] });
    const failed = await aQcResult(t.http, batch.id, cast.technician.token, {
      test: 'ENDOTOXIN',
      value: 0.9,
      testedAt: ago(2 * HOUR),
    });
    expect(failed.outcome).toBe('FAIL');
    const retest = await aQcResult(t.http, batch.id, cast.technician.token, {
      test: 'ENDOTOXIN',
      value: 0.1,
      testedAt: ago(HOUR),
    });
    expect(retest.outcome).toBe('PASS');
    expect(await batchQc(batch.id)).toMatchObject({ complete: true, passed: false });
    const notYet = await release(t.http, batch.id, cast.qa);
    expect(notYet.status).toBe(422);
    expect(notYet.body.code).toBe('QC_NOT_PASSED');

    // A technician may retest, but not set a failing result aside.
    const byTechnician = await record(batch.id, cast.technician2, {
      test: 'ENDOTOXIN',
      value: 0.1,
      correctsId: failed.id,
      reason: 'Retest passed',
    });
    expect(byTechnician.status).toBe(403);
    expect(byTechnician.body.code).toBe('FORBIDDEN');
    const noReason = await record(batch.id, qa2, { test: 'ENDOTOXIN', value: 0.1, correctsId: failed.id });
    expect(noReason.status).toBe(400);
    expect(fieldsOf(noReason.body)).toEqual(['reason']);
    const { rows: before } = await t.sql.query('SELECT superseded_by FROM qc_results WHERE id = $1', [
      failed.id,
    ]);
    expect(before[0].superseded_by).toBeNull();

    const correction = await record(batch.id, qa2, {
      test: 'ENDOTOXIN',
      value: 0.1,
      correctsId: failed.id,
      reason: 'OOS investigation QI-041: sample tube contaminated at the bench; retest valid',
    });
    expect(correction.status).toBe(201);
    expect(correction.body).toMatchObject({ correctsId: failed.id, outcome: 'PASS', recordedByRole: 'qa' });
    const { rows: after } = await t.sql.query('SELECT superseded_by FROM qc_results WHERE id = $1', [
      failed.id,
    ]);
    expect(after[0].superseded_by).toBe(correction.body.id);
    expect(await batchQc(batch.id)).toMatchObject({ complete: true, passed: true });
    const { rows: audit } = await t.sql.query(
      `SELECT reason, before->>'id' AS corrected FROM audit_entries WHERE entity_id = $1 AND action = 'batch.qc_result_corrected'`,
      [batch.id],
    );
    expect(audit).toEqual([{ reason: expect.stringContaining('QI-041'), corrected: failed.id }]);

    // The QA user who corrected recorded an entry on the batch: another QA user signs the release.
    expect((await release(t.http, batch.id, qa2)).body.code).toBe('SAME_PERSON');
    expect((await release(t.http, batch.id, cast.qa)).status).toBe(200);
  });

  it('refuses a correction naming a result of another batch (404), one corrected already (409), or of another test (400)', async () => {
    const [batch, other] = [await aCultureCompleteBatch(), await aCultureCompleteBatch()];
    const foreign = await aQcResult(t.http, other.id, cast.technician.token, {
      test: 'VIABILITY',
      value: 80,
      testedAt: ago(HOUR),
    });
    const elsewhere = await record(batch.id, cast.qa, {
      test: 'VIABILITY',
      value: 85,
      correctsId: foreign.id,
      reason: 'typo',
    });
    expect(elsewhere.status).toBe(404);

    const own = await aQcResult(t.http, batch.id, cast.technician.token, {
      test: 'VIABILITY',
      value: 80,
      testedAt: ago(HOUR),
    });
    await record(batch.id, cast.technician, {
      test: 'VIABILITY',
      value: 88,
      correctsId: own.id,
      reason: 'typo',
    }).expect(201);
    const twice = await record(batch.id, cast.technician, {
      test: 'VIABILITY',
      value: 89,
      correctsId: own.id,
      reason: 'typo',
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('INVALID_TRANSITION');

    const another = await aQcResult(t.http, batch.id, cast.technician.token, {
      test: 'ENDOTOXIN',
      value: 0.1,
      testedAt: ago(HOUR),
    });
    const wrongTest = await record(batch.id, cast.technician, {
      test: 'VIABILITY',
      value: 90,
      correctsId: another.id,
      reason: 'wrong row',
    });
    expect(wrongTest.status).toBe(400);
    expect(fieldsOf(wrongTest.body)).toEqual(['test']);
    expect(await qcCount(batch.id)).toBe(3);
  });

  it('lets exactly one of two concurrent corrections of a result win', async () => {
    const batch = await aCultureCompleteBatch();
    const own = await aQcResult(t.http, batch.id, cast.technician.token, {
      test: 'VIABILITY',
      value: 80,
      testedAt: ago(HOUR),
    });
    const answers = await Promise.all(
      [cast.technician, cast.technician2].map((who) =>
        record(batch.id, who, {
          test: 'VIABILITY',
          value: 81,
          correctsId: own.id,
          reason: 'transcription error',
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM qc_results WHERE corrects_id = $1', [
      own.id,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it('records the final sterility after release, and a failing result then is announced for a recall flag', async () => {
    const batch = await aCultureCompleteBatch();
    await passingQc(t.http, batch.id, cast.technician.token, { except: ['STERILITY'] });
    await aQcResult(t.http, batch.id, cast.technician.token, {
      test: 'STERILITY',
      result: 'PENDING',
      testedAt: ago(HOUR),
    });
    expect((await release(t.http, batch.id, cast.qa)).status).toBe(200);

    const endotoxin = await record(batch.id, cast.technician, { test: 'ENDOTOXIN', value: 0.8 });
    expect(endotoxin.status).toBe(201);
    expect(endotoxin.body).toMatchObject({ outcome: 'FAIL', recordedAfterRelease: true });
    const { rows } = await t.sql.query(
      `SELECT subject_type, payload FROM outbox_events WHERE type = 'qc.result_recorded' AND subject_id = $1`,
      [endotoxin.body.id],
    );
    expect(rows).toEqual([
      {
        subject_type: 'qc_result',
        payload: { batchId: batch.id, test: 'ENDOTOXIN', outcome: 'FAIL', failedAfterRelease: true },
      },
    ]);
    const sterility = await record(batch.id, cast.technician, {
      test: 'STERILITY',
      result: 'NEGATIVE',
      testedAt: ago(0),
    });
    expect(sterility.body).toMatchObject({ outcome: 'PASS', recordedAfterRelease: true });
    const { rows: passing } = await t.sql.query(
      `SELECT payload->>'failedAfterRelease' AS failed FROM outbox_events WHERE subject_id = $1`,
      [sterility.body.id],
    );
    expect(passing).toEqual([{ failed: 'false' }]);
    // An endotoxin failure is flagged, not recalled: the doses stay as they are.
    const { rows: batchRow } = await t.sql.query('SELECT recalled_at FROM batches WHERE id = $1', [batch.id]);
    expect(batchRow[0].recalled_at).toBeNull();
  });

  it('recalls every dose not yet given when sterility comes back POSITIVE after release; an administered dose stays ADMINISTERED', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const given = await aReceivedDose(t.http, cast, batch.id);
    await t.http
      .post(`/api/v1/doses/${given.id}/administration`)
      .set(...bearer(cast.doctor))
      .send({
        administeredAt: new Date().toISOString(),
        site: 'LEFT_KNEE',
        patientCode: batch.donorCode,
        doseLabel: given.label,
      })
      .expect(200);
    const formulated = await aDose(t.http, cast, batch.id);
    const received = await aReceivedDose(t.http, cast, batch.id);
    const dispatched = await aDose(t.http, cast, batch.id);
    await t.http
      .post(`/api/v1/doses/${dispatched.id}/dispatch`)
      .set(...bearer(cast.technician))
      .send({ dispatchedAt: new Date().toISOString() })
      .expect(200);

    const positive = await record(batch.id, cast.technician, {
      test: 'STERILITY',
      result: 'POSITIVE',
      testedAt: ago(0),
    });
    expect(positive.status).toBe(201);
    expect(positive.body).toMatchObject({ outcome: 'FAIL', recordedAfterRelease: true });

    const doses = await t.http
      .get(`/api/v1/batches/${batch.id}/doses`)
      .set(...bearer(cast.doctor))
      .expect(200);
    const statusOf = (id: string) => doses.body.items.find((d: { id: string }) => d.id === id);
    expect(statusOf(given.id)).toMatchObject({ status: 'ADMINISTERED', recalledAt: null });
    for (const dose of [formulated, received, dispatched]) {
      expect(statusOf(dose.id)).toMatchObject({
        status: 'RECALLED',
        recalledAt: expect.any(String),
        recallReason: expect.stringContaining('STERILITY POSITIVE'),
      });
    }
    const view = await t.http
      .get(`/api/v1/batches/${batch.id}`)
      .set(...bearer(cast.doctor))
      .expect(200);
    expect(view.body.readyForInjection).toBe(false);
    const { rows } = await t.sql.query('SELECT recalled_at FROM batches WHERE id = $1', [batch.id]);
    expect(rows[0].recalled_at).toBeInstanceOf(Date);

    const { rows: audit } = await t.sql.query(
      `SELECT entity_id FROM audit_entries WHERE action = 'dose.recalled' AND after->>'batchId' = $1`,
      [batch.id],
    );
    expect(audit.map((r) => r.entity_id).sort()).toEqual([formulated.id, received.id, dispatched.id].sort());
    const { rows: events } = await t.sql.query(
      `SELECT payload FROM outbox_events WHERE type = 'dose.recalled' AND subject_id = $1`,
      [batch.id],
    );
    expect(events).toHaveLength(1);
    expect(events[0].payload.doseIds.sort()).toEqual([formulated.id, received.id, dispatched.id].sort());

    // A recalled dose is never given, and a recalled batch gives no more doses.
    const administer = await t.http
      .post(`/api/v1/doses/${received.id}/administration`)
      .set(...bearer(cast.doctor))
      .send({
        administeredAt: new Date().toISOString(),
        site: 'LEFT_KNEE',
        patientCode: batch.donorCode,
        doseLabel: received.label,
      });
    expect(administer.status).toBe(409);
    const more = await t.http
      .post(`/api/v1/batches/${batch.id}/doses`)
      .set(...bearer(cast.technician))
      .send({ cells: 1_000_000, volumeMl: 1, formulatedAt: new Date().toISOString() });
    expect(more.status).toBe(409);
    expect(more.body.code).toBe('INVALID_TRANSITION');
  });

  it('recalls on a POSITIVE mycoplasma after release too', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const dose = await aDose(t.http, cast, batch.id);
    await record(batch.id, cast.qa, { test: 'MYCOPLASMA', result: 'POSITIVE', testedAt: ago(0) }).expect(201);
    const response = await t.http
      .get(`/api/v1/doses/${dose.id}`)
      .set(...bearer(cast.technician))
      .expect(200);
    expect(response.body.status).toBe('RECALLED');
  });
});
