import { minutesAgo } from '../support/batch-fixtures';
import { aJobsApp, eventually, flagRowsOf, flagWithin, JobsTestApp, sleep } from '../support/flag-fixtures';
import { aCast, bearer, Cast, Person } from '../support/people';
import { unique } from '../support/test-app';

const DAY = 86_400_000;
const inDays = (days: number): string => new Date(Date.now() + days * DAY).toISOString();

/**
 * Environmental monitoring against the Annex 1 action limits, ENVIRONMENT_ACTION, and CALIBRATION_DUE: facility
 * flags raised through the outbox within 5 s.
 */
describe('environment: cleanroom samples and calibration flags', () => {
  let t: JobsTestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await aJobsApp();
    cast = await aCast(t.http);
  }, 60_000);
  afterAll(async () => {
    await t.dispose();
  });

  const sample = (body: Record<string, unknown>, who: Person = cast.technician) =>
    t.http
      .post('/api/v1/environmental-samples')
      .set(...bearer(who))
      .send({ room: 'CR-1', sampledAt: minutesAgo(30), ...body });

  describe('POST /environmental-samples', () => {
    it.each([
      ['A', 'ACTIVE_AIR', 1],
      ['A', 'GLOVE_PRINT', 1],
      ['B', 'ACTIVE_AIR', 10],
      ['B', 'SETTLE_PLATE', 5],
      ['C', 'ACTIVE_AIR', 100],
      ['C', 'CONTACT_PLATE', 25],
      ['D', 'SETTLE_PLATE', 100],
      ['D', 'CONTACT_PLATE', 50],
    ])('grade %s, %s: %i CFU is ACTION, one less is WITHIN', async (grade, method, limit) => {
      const within = await sample({ grade, method, cfu: limit - 1 });
      expect(within.status).toBe(201);
      expect(within.body).toMatchObject({ outcome: 'WITHIN', limit });
      const action = await sample({ grade, method, cfu: limit });
      expect(action.body).toMatchObject({ outcome: 'ACTION', limit });
    });

    it('sets no glove-print limit in grades C and D', async () => {
      for (const grade of ['C', 'D']) {
        const response = await sample({ grade, method: 'GLOVE_PRINT', cfu: 500 });
        expect(response.body).toMatchObject({ outcome: 'WITHIN', limit: null });
      }
    });

    it('raises ENVIRONMENT_ACTION on the sample within 5 s; a qa acknowledgement closes it for good', async () => {
      const room = unique('CR-');
      const response = await sample({ room, grade: 'B', method: 'CONTACT_PLATE', cfu: 7 });
      const flag = await flagWithin(t.http, cast.qa.token, {
        type: 'ENVIRONMENT_ACTION',
        subjectId: response.body.id,
      });
      expect(flag).toMatchObject({
        clinicId: null,
        subjectType: 'environmental_sample',
        details: { room, grade: 'B' },
      });
      const within = await sample({ room, grade: 'B', method: 'CONTACT_PLATE', cfu: 1 });
      await sleep(1000);
      expect(await flagRowsOf(t, within.body.id)).toEqual([]);
      const acknowledged = await t.http
        .post(`/api/v1/flags/${flag.id}/acknowledge`)
        .set(...bearer(cast.qa))
        .send({});
      expect(acknowledged.status).toBe(200);
      expect(acknowledged.body.status).toBe('RESOLVED');
    });

    it('refuses bad input (400), doctors and the admin (403), and stores nothing', async () => {
      const room = unique('CR-');
      for (const body of [
        { room, grade: 'E', method: 'ACTIVE_AIR', cfu: 1 },
        { room, grade: 'A', method: 'SWAB', cfu: 1 },
        { room, grade: 'A', method: 'ACTIVE_AIR', cfu: -1 },
        { room, grade: 'A', method: 'ACTIVE_AIR', cfu: 1.5 },
        { room, grade: 'A', method: 'ACTIVE_AIR', cfu: 1, sampledAt: inDays(1) },
      ]) {
        const response = await sample(body);
        expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      expect((await sample({ room, grade: 'A', method: 'ACTIVE_AIR', cfu: 0 }, cast.doctor)).status).toBe(
        403,
      );
      const byAdmin = await t.http
        .post('/api/v1/environmental-samples')
        .set(...bearer(cast.admin))
        .send({ room, grade: 'A', method: 'ACTIVE_AIR', cfu: 0, sampledAt: minutesAgo(1) });
      expect(byAdmin.status).toBe(403);
      const stored = await t.sql.query(
        'SELECT count(*)::int AS n FROM environmental_samples WHERE room = $1',
        [room],
      );
      expect(stored.rows[0].n).toBe(0);
    });

    it('lists samples by room and period, newest first', async () => {
      const room = unique('CR-');
      await sample({ room, grade: 'C', method: 'ACTIVE_AIR', cfu: 3, sampledAt: minutesAgo(50) });
      await sample({ room, grade: 'C', method: 'ACTIVE_AIR', cfu: 4, sampledAt: minutesAgo(20) });
      const list = await t.http
        .get('/api/v1/environmental-samples')
        .query({ room, from: minutesAgo(40), to: minutesAgo(0) })
        .set(...bearer(cast.admin));
      expect(list.status).toBe(200);
      expect(list.body.items.map((s: { cfu: number }) => s.cfu)).toEqual([4]);
      const all = await t.http
        .get('/api/v1/environmental-samples')
        .query({ room })
        .set(...bearer(cast.qa));
      expect(all.body.items.map((s: { cfu: number }) => s.cfu)).toEqual([4, 3]);
    });
  });

  describe('CALIBRATION_DUE', () => {
    const anEquipment = async (calibrationDueAt: string): Promise<{ id: string }> => {
      const response = await t.http
        .post('/api/v1/equipment')
        .set(...bearer(cast.admin))
        .send({ code: unique('EQ-'), kind: 'INCUBATOR', name: 'CO2 incubator', calibrationDueAt });
      expect(response.status).toBe(201);
      return response.body as { id: string };
    };

    it('is raised 14 days ahead and resolved by a passing calibration', async () => {
      const soon = await anEquipment(inDays(10));
      const later = await anEquipment(inDays(20));
      const flag = await flagWithin(t.http, cast.qa.token, { type: 'CALIBRATION_DUE', subjectId: soon.id });
      expect(flag).toMatchObject({ clinicId: null, subjectType: 'equipment' });
      const swept = await t.http.post('/api/v1/jobs/environment/run').set(...bearer(cast.admin));
      expect(swept.status).toBe(202);
      await eventually(async () => {
        const job = await t.http
          .get(`/api/v1/jobs/environment/runs/${swept.body.jobId}`)
          .set(...bearer(cast.admin));
        return job.body.state === 'completed';
      });
      expect(await flagRowsOf(t, later.id, 'CALIBRATION_DUE')).toEqual([]);

      const calibrated = await t.http
        .post(`/api/v1/equipment/${soon.id}/calibrations`)
        .set(...bearer(cast.qa))
        .send({
          performedAt: minutesAgo(5),
          result: 'PASS',
          nextDueAt: inDays(365),
          certificateRef: 'CAL-1',
        });
      expect(calibrated.status).toBe(201);
      await flagWithin(t.http, cast.qa.token, {
        type: 'CALIBRATION_DUE',
        subjectId: soon.id,
        status: 'RESOLVED',
      });
    });

    it('is raised at once by a failed calibration', async () => {
      const equipment = await anEquipment(inDays(300));
      await t.http
        .post(`/api/v1/equipment/${equipment.id}/calibrations`)
        .set(...bearer(cast.qa))
        .send({ performedAt: minutesAgo(5), result: 'FAIL', nextDueAt: inDays(1), certificateRef: 'CAL-2' });
      const flag = await flagWithin(t.http, cast.qa.token, {
        type: 'CALIBRATION_DUE',
        subjectId: equipment.id,
      });
      expect(flag.details).toMatchObject({ failed: true });
    });
  });
});
