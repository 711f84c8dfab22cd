import { aCultureCompleteBatch } from '../support/batch-fixtures';
import {
  aJobsApp,
  eventJobsDone,
  flagRowsOf,
  flagWithin,
  JobsTestApp,
  listFlags,
} from '../support/flag-fixtures';
import { aCast, bearer, Cast } from '../support/people';
import {
  aCultureCompleteBatchHarvestedAt,
  aDose,
  aQcResult,
  aReleasedBatch,
  passingQc,
  release,
} from '../support/release-fixtures';

const HOUR = 3_600_000;

/**
 * Flags raised and resolved by the events that make them due, through the outbox, the relay and the workers,
 * within the 5 seconds of docs/domain.md, "Flags". Each test starts its clock when the triggering request has been answered.
 */
describe('flags raised and resolved by their triggering events', () => {
  let t: JobsTestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await aJobsApp();
    cast = await aCast(t.http);
  }, 60_000);
  afterAll(async () => {
    await t.dispose();
  });

  it('raises READY_FOR_RELEASE once QC is complete and passed, and resolves it when QA releases the batch', async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    await passingQc(t.http, batch.id, cast.technician.token, { except: ['IDENTITY_NEGATIVE'] });
    const notYet = await listFlags(t.http, cast.qa.token, { type: 'READY_FOR_RELEASE', batchId: batch.id });
    expect(notYet.items).toEqual([]);

    await aQcResult(t.http, batch.id, cast.technician.token, {
      test: 'IDENTITY_NEGATIVE',
      value: 0.8,
      testedAt: new Date().toISOString(),
    });
    const flag = await flagWithin(t.http, cast.qa.token, { type: 'READY_FOR_RELEASE', subjectId: batch.id });
    expect(flag).toMatchObject({
      batchId: batch.id,
      clinicId: cast.clinic.id,
      subjectType: 'batch',
      doseId: null,
      resolvedAt: null,
      details: { din: batch.din, openDeviations: 0 },
    });

    expect((await release(t.http, batch.id, cast.qa)).status).toBe(200);
    const resolved = await flagWithin(t.http, cast.qa.token, {
      type: 'READY_FOR_RELEASE',
      subjectId: batch.id,
      status: 'RESOLVED',
    });
    expect(resolved).toMatchObject({
      id: flag.id,
      resolution: 'CONDITION_ENDED',
      resolvedAt: expect.any(String),
    });
    expect(await flagRowsOf(t, batch.id, 'READY_FOR_RELEASE')).toHaveLength(1);
  });

  it('resolves READY_FOR_RELEASE when a failing result takes the QC pass away, and raises it again after a QA correction', async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    await passingQc(t.http, batch.id, cast.technician.token);
    await flagWithin(t.http, cast.qa.token, { type: 'READY_FOR_RELEASE', subjectId: batch.id });

    const failing = await aQcResult(t.http, batch.id, cast.technician.token, {
      test: 'ENDOTOXIN',
      value: 0.9,
      testedAt: new Date().toISOString(),
    });
    expect(failing.outcome).toBe('FAIL');
    await flagWithin(t.http, cast.qa.token, {
      type: 'READY_FOR_RELEASE',
      subjectId: batch.id,
      status: 'RESOLVED',
    });

    await aQcResult(t.http, batch.id, cast.qa.token, {
      test: 'ENDOTOXIN',
      value: 0.1,
      testedAt: new Date().toISOString(),
      correctsId: failing.id,
      reason: 'OOS investigation: sample contaminated at handling; retest passes',
    });
    await flagWithin(t.http, cast.qa.token, { type: 'READY_FOR_RELEASE', subjectId: batch.id });
    const rows = await flagRowsOf(t, batch.id, 'READY_FOR_RELEASE');
    expect(rows.map((row) => row.status)).toEqual(['RESOLVED', 'OPEN']);
  });

  it('resolves READY_FOR_RELEASE when the batch is discarded', async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    await passingQc(t.http, batch.id, cast.technician.token);
    await flagWithin(t.http, cast.qa.token, { type: 'READY_FOR_RELEASE', subjectId: batch.id });
    const discarded = await t.http
      .post(`/api/v1/batches/${batch.id}/discard`)
      .set(...bearer(cast.qa))
      .send({ reason: 'Incubator failure' });
    expect(discarded.status).toBe(200);
    await flagWithin(t.http, cast.qa.token, {
      type: 'READY_FOR_RELEASE',
      subjectId: batch.id,
      status: 'RESOLVED',
    });
  });

  it('raises READY_FOR_INJECTION for a released batch with a formulated dose, and resolves it when no such dose is left', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const dose = await aDose(t.http, cast, batch.id);
    const flag = await flagWithin(t.http, cast.doctor.token, {
      type: 'READY_FOR_INJECTION',
      subjectId: batch.id,
    });
    expect(flag).toMatchObject({
      clinicId: cast.clinic.id,
      details: { din: batch.din, expiresAt: batch.expiresAt },
    });
    expect(flag.details.doses).toEqual([{ doseId: dose.id, label: dose.label, expiresAt: dose.expiresAt }]);

    const given = await t.http
      .post(`/api/v1/doses/${dose.id}/administration`)
      .set(...bearer(cast.doctor))
      .send({
        administeredAt: new Date().toISOString(),
        site: 'LEFT_KNEE',
        patientCode: batch.donorCode,
        doseLabel: dose.label,
      });
    expect(given.status).toBe(200);
    await flagWithin(t.http, cast.doctor.token, {
      type: 'READY_FOR_INJECTION',
      subjectId: batch.id,
      status: 'RESOLVED',
    });
  });

  it('raises POST_RELEASE_QC_FAILURE for a failing result after release, naming the doses already given, and recalls the rest', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const given = await aDose(t.http, cast, batch.id);
    const waiting = await aDose(t.http, cast, batch.id);
    expect(
      (
        await t.http
          .post(`/api/v1/doses/${given.id}/administration`)
          .set(...bearer(cast.doctor))
          .send({
            administeredAt: new Date().toISOString(),
            site: 'RIGHT_KNEE',
            patientCode: batch.donorCode,
            doseLabel: given.label,
          })
      ).status,
    ).toBe(200);
    await flagWithin(t.http, cast.doctor.token, { type: 'READY_FOR_INJECTION', subjectId: batch.id });

    const positive = await aQcResult(t.http, batch.id, cast.technician.token, {
      test: 'STERILITY',
      result: 'POSITIVE',
      testedAt: new Date().toISOString(),
    });
    const flag = await flagWithin(t.http, cast.qa.token, {
      type: 'POST_RELEASE_QC_FAILURE',
      subjectId: positive.id,
    });
    expect(flag).toMatchObject({
      subjectType: 'qc_result',
      batchId: batch.id,
      clinicId: cast.clinic.id,
      details: {
        din: batch.din,
        qcResultId: positive.id,
        test: 'STERILITY',
        result: 'POSITIVE',
        patient: { donorId: batch.donorId, code: batch.donorCode },
        administeredDoses: [
          { doseId: given.id, label: given.label, administeredAt: expect.any(String), site: 'RIGHT_KNEE' },
        ],
      },
    });
    // The recall took the waiting dose away in the same transaction: nothing is ready for injection any more.
    await flagWithin(t.http, cast.doctor.token, {
      type: 'READY_FOR_INJECTION',
      subjectId: batch.id,
      status: 'RESOLVED',
    });
    const recalled = await t.http.get(`/api/v1/doses/${waiting.id}`).set(...bearer(cast.doctor));
    expect(recalled.body.status).toBe('RECALLED');
    // The doctor of the patient's clinic sees the recall notice.
    await flagWithin(t.http, cast.doctor.token, { type: 'POST_RELEASE_QC_FAILURE', subjectId: positive.id });
  });

  it('raises DOSE_EXPIRING for a dose formulated within 6 hours of its expiry, and resolves it when the dose is given', async () => {
    // Final harvest 43 h ago: the fresh shelf life (48 h) leaves 5 hours.
    const batch = await aCultureCompleteBatchHarvestedAt(t.http, cast, new Date(Date.now() - 43 * HOUR));
    await passingQc(t.http, batch.id, cast.technician.token);
    expect((await release(t.http, batch.id, cast.qa)).status).toBe(200);
    const dose = await aDose(t.http, cast, batch.id);

    const flag = await flagWithin(t.http, cast.doctor.token, { type: 'DOSE_EXPIRING', subjectId: dose.id });
    expect(flag).toMatchObject({
      subjectType: 'dose',
      doseId: dose.id,
      batchId: batch.id,
      clinicId: cast.clinic.id,
      details: { label: dose.label, din: batch.din, kind: 'FRESH', expiresAt: dose.expiresAt },
    });

    expect(
      (
        await t.http
          .post(`/api/v1/doses/${dose.id}/administration`)
          .set(...bearer(cast.doctor))
          .send({
            administeredAt: new Date().toISOString(),
            site: 'LEFT_KNEE',
            patientCode: batch.donorCode,
            doseLabel: dose.label,
          })
      ).status,
    ).toBe(200);
    await flagWithin(t.http, cast.doctor.token, {
      type: 'DOSE_EXPIRING',
      subjectId: dose.id,
      status: 'RESOLVED',
    });
  });

  it('does not flag a dose whose expiry is more than 6 hours away', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const dose = await aDose(t.http, cast, batch.id);
    await eventJobsDone(t, cast.admin, 'expiry', dose.id);
    expect(await flagRowsOf(t, dose.id, 'DOSE_EXPIRING')).toEqual([]);
  });

  it('audits every flag change as the system, with the flag as the entity', async () => {
    const batch = await aCultureCompleteBatch(t.http, cast);
    await passingQc(t.http, batch.id, cast.technician.token);
    const flag = await flagWithin(t.http, cast.qa.token, { type: 'READY_FOR_RELEASE', subjectId: batch.id });
    const audit = await t.sql.query(
      `SELECT action, actor_id, actor_role, entity_type, after FROM audit_entries WHERE entity_id = $1 ORDER BY seq`,
      [flag.id],
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({
        action: 'flag.raised',
        actor_id: null,
        actor_role: 'system',
        entity_type: 'flag',
        after: expect.objectContaining({ type: 'READY_FOR_RELEASE', batchId: batch.id, status: 'OPEN' }),
      }),
    ]);
  });
});
