import { randomUUID } from 'node:crypto';
import { aBatchInCulture, aCultureCompleteBatch as cultureCompleteBatch } from '../support/batch-fixtures';
import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import {
  aCultureCompleteBatchHarvestedAt,
  aQcResult,
  aReleasedBatch,
  passingQc,
  release,
} from '../support/release-fixtures';
import { login, startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

describe('quality: release, rejection and discard of a batch', () => {
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

  /** A culture-complete batch (final harvest 20 minutes ago), QC not yet recorded. */
  const aCultureCompleteBatch = () => cultureCompleteBatch(t.http, cast);

  async function decisionRows(batchId: string): Promise<Record<string, unknown>[]> {
    const { rows } = await t.sql.query('SELECT * FROM batch_decisions WHERE batch_id = $1', [batchId]);
    return rows;
  }

  async function batchStatus(batchId: string): Promise<string> {
    const { rows } = await t.sql.query<{ status: string }>('SELECT status FROM batches WHERE id = $1', [
      batchId,
    ]);
    return rows[0].status;
  }

  function decide(batchId: string, who: Person, body: Record<string, unknown>) {
    return t.http
      .post(`/api/v1/batches/${batchId}/release`)
      .set(...bearer(who))
      .send({ password: who.password, meaning: 'Released for clinical use', ...body });
  }

  it('releases under a signature bound to the signed record, and the batch expires 48 h after final harvest', async () => {
    const batch = await aCultureCompleteBatch();
    await passingQc(t.http, batch.id, cast.technician.token);
    const response = await release(t.http, batch.id, cast.qa);
    expect(response.status).toBe(200);
    const finalHarvestAt = await t.sql.query<{ performed_at: Date }>(
      'SELECT performed_at FROM batch_final_harvests WHERE batch_id = $1 AND superseded_by IS NULL',
      [batch.id],
    );
    const expiresAt = new Date(finalHarvestAt.rows[0].performed_at.getTime() + 48 * HOUR).toISOString();
    expect(response.body).toMatchObject({
      id: batch.id,
      status: 'RELEASED',
      expiresAt,
      decision: {
        decision: 'RELEASE',
        signerId: cast.qa.id,
        signerName: cast.qa.name,
        meaning: 'Released for clinical use',
        recordHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    const [row] = await decisionRows(batch.id);
    expect(row).toMatchObject({ decision: 'RELEASE', signer_id: cast.qa.id, signer_name: cast.qa.name });

    // The audit entry keeps the signature and the very record it covers.
    const { rows: audit } = await t.sql.query(
      `SELECT actor_id, after FROM audit_entries WHERE entity_id = $1 AND action = 'batch.released'`,
      [batch.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(cast.qa.id);
    expect(audit[0].after.signature).toMatchObject({ signerId: cast.qa.id, recordHash: row.record_hash });
    expect(audit[0].after.signedRecord.qcResults).toHaveLength(7);
    expect(audit[0].after.signedRecord.finalHarvest).toMatchObject({
      totalCells: 200_000_000,
      viabilityPct: 90,
    });
    const { rows: events } = await t.sql.query(
      `SELECT type FROM outbox_events WHERE subject_id = $1 AND type = 'batch.released'`,
      [batch.id],
    );
    expect(events).toHaveLength(1);
  });

  it('answers a second decision with ALREADY_DECIDED, not INVALID_TRANSITION', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const again = await decide(batch.id, qa2, { decision: 'REJECT', reason: 'second thoughts' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_DECIDED');
    expect(await decisionRows(batch.id)).toHaveLength(1);
  });

  it('lets exactly one of two QA users releasing at once win; the other gets ALREADY_DECIDED', async () => {
    const batch = await aCultureCompleteBatch();
    await passingQc(t.http, batch.id, cast.technician.token);
    const answers = await Promise.all([
      decide(batch.id, cast.qa, { decision: 'RELEASE' }),
      decide(batch.id, qa2, { decision: 'RELEASE' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.code).toBe('ALREADY_DECIDED');
    expect(await decisionRows(batch.id)).toHaveLength(1);
    const { rows } = await t.sql.query(
      `SELECT count(*)::int AS n FROM audit_entries WHERE entity_id = $1 AND action = 'batch.released'`,
      [batch.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('refuses to release a batch still in culture (INVALID_TRANSITION), before asking for the signature', async () => {
    const batch = await aBatchInCulture(t.http, cast);
    const signer = await aPerson(t.http, 'qa');
    const response = await decide(batch.id, signer, { decision: 'RELEASE', password: 'not the password' });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('INVALID_TRANSITION');
    const { rows } = await t.sql.query(`SELECT count(*)::int AS n FROM auth_failures WHERE user_id = $1`, [
      signer.id,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses a release while QC is incomplete (QC_NOT_PASSED) and writes nothing', async () => {
    const batch = await aCultureCompleteBatch();
    await passingQc(t.http, batch.id, cast.technician.token, { except: ['MYCOPLASMA'] });
    const response = await release(t.http, batch.id, cast.qa);
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('QC_NOT_PASSED');
    expect(await decisionRows(batch.id)).toHaveLength(0);
    expect(await batchStatus(batch.id)).toBe('CULTURE_COMPLETE');
  });

  it('releases with sterility still PENDING (the 14-day culture runs on after release)', async () => {
    const batch = await aCultureCompleteBatch();
    await passingQc(t.http, batch.id, cast.technician.token, { except: ['STERILITY'] });
    await aQcResult(t.http, batch.id, cast.technician.token, {
      test: 'STERILITY',
      result: 'PENDING',
      testedAt: ago(HOUR),
    });
    expect((await release(t.http, batch.id, cast.qa)).status).toBe(200);
  });

  it('refuses a release while a deviation is open (DEVIATION_OPEN), and allows it once QA closed it with a signature', async () => {
    const batch = await aCultureCompleteBatch();
    await passingQc(t.http, batch.id, cast.technician.token);
    const opened = await t.http
      .post(`/api/v1/batches/${batch.id}/deviations`)
      .set(...bearer(cast.technician))
      .send({
        description: 'Incubator 3 CO2 alarm for 40 minutes',
        severity: 'MINOR',
        occurredAt: ago(2 * HOUR),
      })
      .expect(201);
    expect(opened.body).toMatchObject({ batchId: batch.id, status: 'OPEN', openedBy: cast.technician.id });

    const refused = await release(t.http, batch.id, cast.qa);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('DEVIATION_OPEN');

    const closed = await t.http
      .post(`/api/v1/deviations/${opened.body.id}/close`)
      .set(...bearer(cast.qa))
      .send({ resolution: 'Sensor recalibrated; no product impact', password: cast.qa.password })
      .expect(200);
    expect(closed.body).toMatchObject({
      status: 'CLOSED',
      closedBy: cast.qa.id,
      resolution: 'Sensor recalibrated; no product impact',
      signature: {
        signerId: cast.qa.id,
        signerName: cast.qa.name,
        recordHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    // Closing a deviation is review, not a step: the closer may still sign the release.
    expect((await release(t.http, batch.id, cast.qa)).status).toBe(200);
  });

  it('refuses a release signed by a QA user who recorded a QC result on the batch (SAME_PERSON)', async () => {
    const batch = await aCultureCompleteBatch();
    await passingQc(t.http, batch.id, cast.technician.token, { except: ['VIABILITY'] });
    await aQcResult(t.http, batch.id, qa2.token, { test: 'VIABILITY', value: 91, testedAt: ago(HOUR) });
    const refused = await decide(batch.id, qa2, { decision: 'RELEASE' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SAME_PERSON');
    expect(await decisionRows(batch.id)).toHaveLength(0);
    expect((await release(t.http, batch.id, cast.qa)).status).toBe(200);
  });

  it.each(['receiver', 'creator'] as const)(
    "refuses a release signed by the batch's %s, later made QA (SAME_PERSON: every step of the path counts)",
    async (part) => {
      const newcomer = await aPerson(t.http, 'technician');
      const batch = await cultureCompleteBatch(t.http, cast, { [part]: newcomer });
      await passingQc(t.http, batch.id, cast.technician.token);
      await t.http
        .patch(`/api/v1/users/${newcomer.id}`)
        .set('Authorization', `Bearer ${cast.admin}`)
        .send({ role: 'qa' })
        .expect(200);
      const promoted = {
        ...newcomer,
        role: 'qa' as const,
        token: await login(t.http, newcomer.email, newcomer.password),
      };
      const refused = await decide(batch.id, promoted, { decision: 'RELEASE' });
      expect([refused.status, refused.body.code]).toEqual([422, 'SAME_PERSON']);
      expect(await decisionRows(batch.id)).toHaveLength(0);
      expect((await release(t.http, batch.id, cast.qa)).status).toBe(200);
    },
  );

  it('refuses a release signed by a QA user who opened a deviation on the batch, even once it is closed (SAME_PERSON)', async () => {
    const batch = await aCultureCompleteBatch();
    await passingQc(t.http, batch.id, cast.technician.token);
    const opened = await t.http
      .post(`/api/v1/batches/${batch.id}/deviations`)
      .set(...bearer(qa2))
      .send({
        description: 'Label printer jam during P1 labelling',
        severity: 'MINOR',
        occurredAt: ago(3 * HOUR),
      })
      .expect(201);
    await t.http
      .post(`/api/v1/deviations/${opened.body.id}/close`)
      .set(...bearer(cast.qa))
      .send({ resolution: 'Labels reprinted and verified', password: cast.qa.password })
      .expect(200);
    const refused = await decide(batch.id, qa2, { decision: 'RELEASE' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SAME_PERSON');
  });

  it('refuses a wrong password (SIGNATURE_INVALID), counts it toward the lock-out, and writes no decision', async () => {
    const batch = await aCultureCompleteBatch();
    await passingQc(t.http, batch.id, cast.technician.token);
    const signer = await aPerson(t.http, 'qa');
    const response = await decide(batch.id, signer, { decision: 'RELEASE', password: 'wrong password here' });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('SIGNATURE_INVALID');
    expect(await decisionRows(batch.id)).toHaveLength(0);
    expect(await batchStatus(batch.id)).toBe('CULTURE_COMPLETE');
    const { rows } = await t.sql.query(
      `SELECT count(*)::int AS n FROM auth_failures WHERE user_id = $1 AND kind = 'SIGNATURE'`,
      [signer.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('checks the signature before the release rules: a wrong password on a failing batch is SIGNATURE_INVALID', async () => {
    const batch = await aCultureCompleteBatch();
    const response = await decide(batch.id, cast.qa, {
      decision: 'RELEASE',
      password: 'wrong password here',
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('SIGNATURE_INVALID');
  });

  it('refuses a release after the fresh shelf life (final harvest 49 h ago): DOSE_EXPIRED', async () => {
    const batch = await aCultureCompleteBatchHarvestedAt(t.http, cast, new Date(Date.now() - 49 * HOUR));
    await passingQc(t.http, batch.id, cast.technician.token);
    const response = await release(t.http, batch.id, cast.qa);
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('DOSE_EXPIRED');
    expect(await decisionRows(batch.id)).toHaveLength(0);
  });

  it('rejects under a signature with a reason, whatever the QC says; the batch is REJECTED', async () => {
    const batch = await aCultureCompleteBatch();
    await aQcResult(t.http, batch.id, cast.technician.token, {
      test: 'ENDOTOXIN',
      value: 1.2,
      testedAt: ago(HOUR),
    });
    const response = await decide(batch.id, cast.qa, {
      decision: 'REJECT',
      meaning: 'Rejected: not for clinical use',
      reason: 'Endotoxin out of specification',
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'REJECTED',
      decision: { decision: 'REJECT', reason: 'Endotoxin out of specification', signerId: cast.qa.id },
    });
    const { rows } = await t.sql.query(
      `SELECT reason FROM audit_entries WHERE entity_id = $1 AND action = 'batch.rejected'`,
      [batch.id],
    );
    expect(rows).toEqual([{ reason: 'Endotoxin out of specification' }]);
  });

  it('requires a reason to reject (400 naming reason) and writes nothing', async () => {
    const batch = await aCultureCompleteBatch();
    const response = await decide(batch.id, cast.qa, { decision: 'REJECT', meaning: 'Rejected' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain('reason');
    expect(await decisionRows(batch.id)).toHaveLength(0);
  });

  it('refuses unknown fields, a blank meaning and a bad decision (400, fields named)', async () => {
    const batch = await aCultureCompleteBatch();
    const response = await decide(batch.id, cast.qa, {
      decision: 'APPROVE',
      meaning: '  ',
      signedBy: 'someone else',
    });
    expect(response.status).toBe(400);
    const fields = response.body.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['decision', 'meaning', 'signedBy']));
    expect(await decisionRows(batch.id)).toHaveLength(0);
  });

  it('lets only QA decide: technician, doctor and admin get 403', async () => {
    const batch = await aCultureCompleteBatch();
    for (const token of [cast.technician.token, cast.doctor.token, cast.admin]) {
      const response = await t.http
        .post(`/api/v1/batches/${batch.id}/release`)
        .set(...bearer(token))
        .send({ decision: 'RELEASE', password: 'whatever password', meaning: 'Released' });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
  });

  it('answers 404 for an unknown batch and 400 for an id that is not a UUID', async () => {
    const unknown = await decide(randomUUID(), cast.qa, { decision: 'RELEASE' });
    expect(unknown.status).toBe(404);
    const malformed = await decide('not-a-uuid', cast.qa, { decision: 'RELEASE' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details.fields[0].field).toBe('id');
  });

  describe('discard', () => {
    it('discards an undecided batch with a reason, and audits it', async () => {
      const batch = await aCultureCompleteBatch();
      const response = await t.http
        .post(`/api/v1/batches/${batch.id}/discard`)
        .set(...bearer(cast.qa))
        .send({ reason: 'Turbid medium at P2: contamination suspected' })
        .expect(200);
      expect(response.body.status).toBe('DISCARDED');
      const { rows } = await t.sql.query(
        `SELECT reason FROM audit_entries WHERE entity_id = $1 AND action = 'batch.discarded'`,
        [batch.id],
      );
      expect(rows).toEqual([{ reason: 'Turbid medium at P2: contamination suspected' }]);
    });

    it('refuses to discard a released batch (INVALID_TRANSITION)', async () => {
      const batch = await aReleasedBatch(t.http, cast);
      const response = await t.http
        .post(`/api/v1/batches/${batch.id}/discard`)
        .set(...bearer(cast.qa))
        .send({ reason: 'too late' });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('INVALID_TRANSITION');
      expect(await batchStatus(batch.id)).toBe('RELEASED');
    });

    it('refuses a discard without a reason (400) and a technician discard (403)', async () => {
      const batch = await aCultureCompleteBatch();
      const noReason = await t.http
        .post(`/api/v1/batches/${batch.id}/discard`)
        .set(...bearer(cast.qa))
        .send({});
      expect(noReason.status).toBe(400);
      expect(noReason.body.details.fields[0].field).toBe('reason');
      const technician = await t.http
        .post(`/api/v1/batches/${batch.id}/discard`)
        .set(...bearer(cast.technician))
        .send({ reason: 'contaminated' });
      expect(technician.status).toBe(403);
      expect(await batchStatus(batch.id)).toBe('CULTURE_COMPLETE');
    });
  });

  describe('deviations', () => {
    async function aDeviation(batchId: string, who: Person = cast.technician): Promise<{ id: string }> {
      const response = await t.http
        .post(`/api/v1/batches/${batchId}/deviations`)
        .set(...bearer(who))
        .send({ description: 'Biosafety cabinet airflow alarm', severity: 'MAJOR', occurredAt: ago(HOUR) });
      expect(response.status).toBe(201);
      return response.body as { id: string };
    }

    function close(deviationId: string, who: Person, password = who.password) {
      return t.http
        .post(`/api/v1/deviations/${deviationId}/close`)
        .set(...bearer(who))
        .send({ resolution: 'Filter replaced; settle plates clean', password });
    }

    it('closes a deviation once: a second close is ALREADY_DECIDED', async () => {
      const batch = await aCultureCompleteBatch();
      const deviation = await aDeviation(batch.id);
      expect((await close(deviation.id, cast.qa)).status).toBe(200);
      const again = await close(deviation.id, qa2);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('ALREADY_DECIDED');
    });

    it('lets exactly one of two QA users closing at once win', async () => {
      const batch = await aCultureCompleteBatch();
      const deviation = await aDeviation(batch.id);
      const answers = await Promise.all([close(deviation.id, cast.qa), close(deviation.id, qa2)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const { rows } = await t.sql.query(
        `SELECT count(*)::int AS n FROM audit_entries WHERE entity_id = $1 AND action = 'batch.deviation_closed'`,
        [batch.id],
      );
      expect(rows[0].n).toBe(1);
    });

    it('refuses a close with a wrong password (SIGNATURE_INVALID) and keeps the deviation open', async () => {
      const batch = await aCultureCompleteBatch();
      const deviation = await aDeviation(batch.id);
      const response = await close(deviation.id, qa2, 'not my password');
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('SIGNATURE_INVALID');
      const { rows } = await t.sql.query('SELECT status FROM deviations WHERE id = $1', [deviation.id]);
      expect(rows[0].status).toBe('OPEN');
    });

    it('lets only QA close (403 for a technician) and only technician or QA open (403 for a doctor)', async () => {
      const batch = await aCultureCompleteBatch();
      const deviation = await aDeviation(batch.id);
      expect((await close(deviation.id, cast.technician)).status).toBe(403);
      const byDoctor = await t.http
        .post(`/api/v1/batches/${batch.id}/deviations`)
        .set(...bearer(cast.doctor))
        .send({ description: 'x', severity: 'MINOR', occurredAt: ago(HOUR) });
      expect(byDoctor.status).toBe(403);
    });

    it('refuses a deviation on a decided batch (INVALID_TRANSITION)', async () => {
      const batch = await aReleasedBatch(t.http, cast);
      const response = await t.http
        .post(`/api/v1/batches/${batch.id}/deviations`)
        .set(...bearer(cast.technician))
        .send({ description: 'Found late', severity: 'MINOR', occurredAt: ago(HOUR) });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('INVALID_TRANSITION');
    });

    it('refuses a bad severity and a future occurredAt (400 naming both) and writes nothing', async () => {
      const batch = await aCultureCompleteBatch();
      const response = await t.http
        .post(`/api/v1/batches/${batch.id}/deviations`)
        .set(...bearer(cast.technician))
        .send({
          description: 'x',
          severity: 'SEVERE',
          occurredAt: new Date(Date.now() + HOUR).toISOString(),
        });
      expect(response.status).toBe(400);
      expect(response.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'occurredAt',
        'severity',
      ]);
      const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM deviations WHERE batch_id = $1', [
        batch.id,
      ]);
      expect(rows[0].n).toBe(0);
    });

    it("lists a batch's deviations to its clinic's doctor, and hides them from another clinic's (404)", async () => {
      const batch = await aCultureCompleteBatch();
      await aDeviation(batch.id);
      const own = await t.http
        .get(`/api/v1/batches/${batch.id}/deviations`)
        .set(...bearer(cast.doctor))
        .expect(200);
      expect(own.body).toMatchObject({ items: [{ batchId: batch.id, status: 'OPEN' }], nextCursor: null });
      const stranger = await aPerson(t.http, 'doctor');
      const hidden = await t.http.get(`/api/v1/batches/${batch.id}/deviations`).set(...bearer(stranger));
      expect(hidden.status).toBe(404);
    });
  });
});
