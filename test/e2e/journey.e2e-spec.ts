import { aCast, bearer, Cast, Person } from '../support/people';
import { passingResults } from '../support/release-fixtures';
import { startTestApp, TestApp, unique } from '../support/test-app';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

/**
 * One patient's cells from the clinic to the knee, through the API only: every step a person takes, in the
 * order they take it, with the checks a regulator would ask about at the end.
 */
describe('journey: from harvest to injection', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  async function step(who: Person | string, path: string, body: Record<string, unknown>, status = 201) {
    const response = await t.http
      .post(`/api/v1${path}`)
      .set(...bearer(who))
      .send(body);
    if (response.status !== status)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  it('takes a patient from consent to an administered dose, with the whole record in the batch audit trail', async () => {
    const { doctor, technician, technician2, qa } = cast;

    // At the clinic, five weeks ago: consent, infectious screening, liposuction.
    const donor = await step(doctor, '/donors', {
      externalRef: unique('K-'),
      birthYear: 1961,
      sex: 'F',
      consent: { treatment: true, banking: true, signedAt: ago(35 * DAY) },
    });
    for (const marker of ['HBV', 'HCV', 'HIV', 'HTLV1', 'SYPHILIS']) {
      await step(doctor, `/donors/${donor.id}/screenings`, {
        marker,
        result: 'NEGATIVE',
        testedAt: ago(34 * DAY),
      });
    }
    const harvest = await step(doctor, '/harvests', {
      donorId: donor.id,
      tissue: 'ADIPOSE',
      volumeMl: 20,
      collectedAt: ago(28 * DAY),
    });

    // At the CPC: receipt, batch, isolation, two passages with a count between, final harvest.
    const receipt = await step(
      technician,
      `/harvests/${harvest.id}/receipt`,
      { receivedAt: ago(28 * DAY - 4 * HOUR), temperatureC: 4.5, intact: true },
      200,
    );
    expect(receipt.status).toBe('RECEIVED');
    const batch = await step(technician, '/batches', {
      harvestId: harvest.id,
      productType: 'CULTURED_ADSC',
      targetCellCount: 100_000_000,
    });
    expect(batch).toMatchObject({ status: 'RECEIVED', din: expect.stringMatching(/^[A-Z]\d{4}\d{2}\d{6}$/) });
    await step(technician, `/batches/${batch.id}/isolation`, {
      performedAt: ago(27 * DAY),
      tissueWeightG: 18.5,
      cellCount: 1_000_000,
      viabilityPct: 91,
    });
    await step(technician, `/batches/${batch.id}/passages`, {
      passageNumber: 1,
      performedAt: ago(20 * DAY),
      cellsHarvested: 16_000_000,
      viabilityPct: 94,
      cellsSeeded: 4_000_000,
    });
    await step(technician2, `/batches/${batch.id}/cell-counts`, {
      countedAt: ago(16 * DAY),
      totalCells: 20_000_000,
      viabilityPct: 95,
    });
    await step(technician2, `/batches/${batch.id}/passages`, {
      passageNumber: 2,
      performedAt: ago(12 * DAY),
      cellsHarvested: 60_000_000,
      viabilityPct: 93,
      cellsSeeded: 10_000_000,
    });
    await step(technician, `/batches/${batch.id}/final-harvest`, {
      performedAt: ago(6 * HOUR),
      totalCells: 200_000_000,
      viabilityPct: 92,
    });

    // Quality control, then QA's release under a signature.
    for (const result of passingResults(100_000_000, ago(2 * HOUR))) {
      const recorded = await step(technician, `/batches/${batch.id}/qc-results`, result);
      expect(recorded.outcome).toBe('PASS');
    }
    const released = await step(
      qa,
      `/batches/${batch.id}/release`,
      { decision: 'RELEASE', password: qa.password, meaning: 'Released for clinical use' },
      200,
    );
    expect(released).toMatchObject({ status: 'RELEASED', viableCellsYielded: 184_000_000 });

    // One dose, all the viable cells, to the clinic and into the patient's knee.
    const dose = await step(technician, `/batches/${batch.id}/doses`, {
      cells: 184_000_000,
      volumeMl: 3,
      formulatedAt: ago(HOUR),
    });
    expect(dose).toMatchObject({
      label: `${batch.din}-D01`,
      status: 'FORMULATED',
      expiresAt: released.expiresAt,
    });
    const ready = await t.http
      .get(`/api/v1/batches/${batch.id}`)
      .set(...bearer(doctor))
      .expect(200);
    expect(ready.body.readyForInjection).toBe(true);
    await step(technician, `/doses/${dose.id}/dispatch`, { dispatchedAt: ago(50 * 60_000) }, 200);
    await step(
      doctor,
      `/doses/${dose.id}/receipt`,
      { receivedAt: ago(20 * 60_000), temperatureC: 5, intact: true },
      200,
    );
    const given = await step(
      doctor,
      `/doses/${dose.id}/administration`,
      { administeredAt: ago(5 * 60_000), site: 'LEFT_KNEE', patientCode: donor.code, doseLabel: dose.label },
      200,
    );
    expect(given.status).toBe('ADMINISTERED');

    // What the batch says afterwards: decided and signed, nothing left to inject.
    const view = await t.http
      .get(`/api/v1/batches/${batch.id}`)
      .set(...bearer(doctor))
      .expect(200);
    expect(view.body).toMatchObject({
      status: 'RELEASED',
      readyForInjection: false,
      cellsRemaining: 0,
      qc: { complete: true, passed: true },
      decision: {
        decision: 'RELEASE',
        signerId: qa.id,
        signerName: qa.name,
        meaning: 'Released for clinical use',
        recordHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });

    // The batch's audit trail holds every step on it, oldest first, each with its actor.
    const audit = await t.http
      .get(`/api/v1/audit?entityId=${batch.id}&limit=200`)
      .set(...bearer(cast.admin))
      .expect(200);
    const entries = audit.body.items as { action: string; actorId: string; entityType: string }[];
    expect(entries.every((entry) => entry.entityType === 'batch')).toBe(true);
    const actions = entries.map((entry) => entry.action);
    expect(actions).toEqual([
      'batch.created',
      'batch.isolation_recorded',
      'batch.passage_recorded',
      'batch.cell_count_recorded',
      'batch.passage_recorded',
      'batch.final_harvest_recorded',
      ...Array<string>(7).fill('batch.qc_result_recorded'),
      'batch.released',
      'batch.dose_formulated',
    ]);
    expect(entries.find((entry) => entry.action === 'batch.released')?.actorId).toBe(qa.id);
    expect(entries.find((entry) => entry.action === 'batch.cell_count_recorded')?.actorId).toBe(
      technician2.id,
    );

    // The dose keeps its own trail, from dispatch to the bedside.
    const doseAudit = await t.http
      .get(`/api/v1/audit?entityId=${dose.id}`)
      .set(...bearer(cast.admin))
      .expect(200);
    expect(doseAudit.body.items.map((entry: { action: string }) => entry.action)).toEqual([
      'dose.dispatched',
      'dose.received',
      'dose.administered',
    ]);
  });
});
