import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import { aReceivedDose, aReleasedBatch, ReleasedBatch } from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;
/** The treatment period of the report: every knee below but one was first injected 200 days ago. */
const X = Date.now() - 200 * DAY;
const at = (days: number): string => new Date(X + days * DAY).toISOString();

/**
 * The outcome report over records this file creates in a clinic of its own; every figure is worked out by
 * hand below from those records.
 *
 *   knee      cells  KL before  baseline  3 months      6 months
 *   1 LEFT    150M   2          80        30 (62.5 %)R  40 (50 %)R
 *   1 RIGHT    50M   4          60        45 (25 %)
 *   2 LEFT    250M   2 (1, 3)   50        30 (40 %)     20 (60 %)R
 *   2 RIGHT    10M   -          -         first injected 400 days before the period: not in it
 */
// Fixtures hash passwords and build whole cultures through the API: slow on a busy machine, so hooks get time.
jest.setTimeout(120_000);

describe('outcomes: the outcome report', () => {
  let t: TestApp;
  let cast: Cast;
  let strangerDoctor: Person;
  const from = at(-1);
  const to = at(1);

  async function injected(
    batch: ReleasedBatch,
    cells: number,
    site: string,
    givenAt: string,
  ): Promise<string> {
    const dose = await aReceivedDose(t.http, cast, batch.id, { cells });
    const given = await t.http
      .post(`/api/v1/doses/${dose.id}/administration`)
      .set(...bearer(cast.doctor))
      .send({
        administeredAt: new Date().toISOString(),
        site,
        patientCode: batch.donorCode,
        doseLabel: dose.label,
      });
    expect(given.status).toBe(200);
    // The injection happened months ago: moved back behind the app's back, as if entered on the day.
    await t.sql.query('UPDATE doses SET administered_at = $2 WHERE id = $1', [dose.id, givenAt]);
    return dose.id;
  }
  async function post(path: string, body: Record<string, unknown>): Promise<void> {
    const response = await t.http
      .post(path)
      .set(...bearer(cast.doctor))
      .send(body);
    expect(response.status).toBe(201);
  }
  const grade = (donorId: string, knee: string, days: number, kellgrenLawrence: number) =>
    post(`/api/v1/donors/${donorId}/knee-assessments`, {
      knee,
      assessedAt: at(days),
      kellgrenLawrence,
      imaging: 'XRAY',
    });
  const outcome = (donorId: string, knee: string, days: number, vasPain: number, doseId?: string) =>
    post('/api/v1/outcomes', { donorId, knee, assessedAt: at(days), vasPain, ...(doseId ? { doseId } : {}) });
  const report = (who: Person | string, query: Record<string, string> = {}) =>
    t.http
      .get('/api/v1/reports/outcomes')
      .query({ from, to, ...query })
      .set(...bearer(who));

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
    strangerDoctor = await aPerson(t.http, 'doctor');
    const one = await aReleasedBatch(t.http, cast, { totalCells: 400_000_000 });
    const two = await aReleasedBatch(t.http, cast, { totalCells: 400_000_000 });

    await grade(one.donorId, 'LEFT', -10, 2);
    await grade(one.donorId, 'RIGHT', -10, 4);
    await grade(two.donorId, 'LEFT', -30, 1);
    await grade(two.donorId, 'LEFT', -10, 2);
    await grade(two.donorId, 'LEFT', 10, 3); // after the injection: not its grade
    await outcome(one.donorId, 'LEFT', -5, 80);
    await outcome(one.donorId, 'RIGHT', -5, 60);
    await outcome(two.donorId, 'LEFT', -5, 50);

    const oneLeft = await injected(one, 150_000_000, 'LEFT_KNEE', at(0));
    const oneRight = await injected(one, 50_000_000, 'RIGHT_KNEE', at(0));
    const twoLeft = await injected(two, 250_000_000, 'LEFT_KNEE', at(0));
    await injected(two, 10_000_000, 'RIGHT_KNEE', at(-400));

    await outcome(one.donorId, 'LEFT', 91, 30, oneLeft);
    await outcome(one.donorId, 'LEFT', 182, 40, oneLeft);
    await outcome(one.donorId, 'RIGHT', 91, 45, oneRight);
    await outcome(two.donorId, 'LEFT', 91, 30, twoLeft);
    await outcome(two.donorId, 'LEFT', 182, 20, twoLeft);
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const none = { assessed: 0, responders: 0, medianVasReductionPct: null };
  const empty = { knees: 0, ...none };

  it('counts the knees first injected in the period and judges them by month, grade and cells', async () => {
    const response = await report(cast.doctor);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      clinicId: cast.clinic.id,
      treatedKnees: 3,
      byMonth: {
        '3': { assessed: 3, responders: 1, medianVasReductionPct: 40 },
        '6': { assessed: 2, responders: 2, medianVasReductionPct: 55 },
        '12': none,
        '24': none,
      },
      byKellgrenLawrence: {
        '0': empty,
        '1': empty,
        '2': { knees: 2, assessed: 2, responders: 2, medianVasReductionPct: 55 },
        '3': empty,
        '4': { knees: 1, assessed: 1, responders: 0, medianVasReductionPct: 25 },
      },
      byCellsPerKnee: {
        '<100M': { knees: 1, assessed: 1, responders: 0, medianVasReductionPct: 25 },
        '100-200M': { knees: 1, assessed: 1, responders: 1, medianVasReductionPct: 50 },
        '>200M': { knees: 1, assessed: 1, responders: 1, medianVasReductionPct: 60 },
      },
      medianMonthsToBooster: null,
    });
  });

  it('gives qa the same figures for the clinic, and nothing for a period without first injections', async () => {
    const forQa = await report(cast.qa, { clinicId: cast.clinic.id });
    expect(forQa.status).toBe(200);
    expect(forQa.body.treatedKnees).toBe(3);
    const later = await report(cast.qa, { clinicId: cast.clinic.id, from: at(2), to: at(3) });
    expect(later.body).toMatchObject({ treatedKnees: 0, byMonth: { '3': none } });
  });

  it("answers 404 to a doctor naming another clinic, and their own clinic's (empty) report otherwise", async () => {
    const other = await report(strangerDoctor, { clinicId: cast.clinic.id });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('NOT_FOUND');
    const own = await report(strangerDoctor);
    expect(own.body).toMatchObject({ clinicId: strangerDoctor.clinicId, treatedKnees: 0 });
  });

  it('refuses a technician (403) and a bad period (400 VALIDATION_FAILED)', async () => {
    expect((await report(cast.technician)).status).toBe(403);
    const bad: Record<string, string>[] = [{ from: 'yesterday' }, { to: from }, { clinicId: 'C-1' }];
    for (const query of bad) {
      const response = await report(cast.qa, query);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    const missing = await t.http
      .get('/api/v1/reports/outcomes')
      .query({ from })
      .set(...bearer(cast.qa));
    expect(missing.status).toBe(400);
  });
});
