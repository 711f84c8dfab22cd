import { aBox, aStorageUnit, UnitRef } from '../support/bank-fixtures';
import {
  COLD,
  everyMinute,
  excursionRowsOf,
  importLoggerFile,
  minutesBefore,
  postReadings,
  times,
  WARM,
} from '../support/environment-fixtures';
import { aPerson, bearer, Person } from '../support/people';
import { loginAsAdmin, startTestApp, TestApp } from '../support/test-app';

describe('cold chain: temperature readings and excursions', () => {
  let t: TestApp;
  let admin: string;
  let technician: Person;
  let qa: Person;
  let monitor: Person;
  let doctor: Person;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAsAdmin(t.http);
    [technician, qa, monitor, doctor] = await Promise.all([
      aPerson(t.http, 'technician'),
      aPerson(t.http, 'qa'),
      aPerson(t.http, 'monitor'),
      aPerson(t.http, 'doctor'),
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  const aTank = (): Promise<UnitRef> => aStorageUnit(t.http, admin, { kind: 'TANK' });
  const readingsOf = async (unitId: string): Promise<number> =>
    (await t.sql.query('SELECT count(*)::int AS n FROM temperature_readings WHERE unit_id = $1', [unitId]))
      .rows[0].n as number;

  describe('POST /temperature-readings', () => {
    it('finds an excursion that starts and ends within one batch, judged against the tank default (-150 C, 10 min)', async () => {
      const tank = await aTank();
      const readings = everyMinute(120, [COLD, ...times(11, WARM), COLD, COLD]);
      const response = await postReadings(t.http, monitor, tank.id, readings);
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ accepted: 14, duplicates: 0 });
      const [excursion] = await excursionRowsOf(t.sql, tank.id);
      expect(excursion).toMatchObject({
        status: 'ENDED',
        started_at: new Date(readings[1].at),
        ended_at: new Date(readings[12].at),
        readings: 11,
      });
      expect(await excursionRowsOf(t.sql, tank.id)).toHaveLength(1);
    });

    it('finds an excursion that spans two requests, and keeps it one excursion', async () => {
      const tank = await aTank();
      const readings = everyMinute(200, [COLD, ...times(15, WARM), COLD]);
      expect((await postReadings(t.http, monitor, tank.id, readings.slice(0, 6))).status).toBe(202);
      expect(await excursionRowsOf(t.sql, tank.id)).toEqual([]);
      expect((await postReadings(t.http, monitor, tank.id, readings.slice(6, 14))).status).toBe(202);
      const open = await excursionRowsOf(t.sql, tank.id);
      expect(open).toMatchObject([{ status: 'OPEN', started_at: new Date(readings[1].at), ended_at: null }]);
      expect((await postReadings(t.http, monitor, tank.id, readings.slice(14))).status).toBe(202);
      expect(await excursionRowsOf(t.sql, tank.id)).toMatchObject([
        { id: open[0].id, status: 'ENDED', ended_at: new Date(readings[16].at), readings: 15 },
      ]);
    });

    it('is no excursion when the run is shorter than excursionMinutes, even across requests', async () => {
      const tank = await aTank();
      const readings = everyMinute(300, [COLD, ...times(9, WARM), COLD]);
      await postReadings(t.http, monitor, tank.id, readings.slice(0, 5));
      await postReadings(t.http, monitor, tank.id, readings.slice(5));
      expect(await excursionRowsOf(t.sql, tank.id)).toEqual([]);
      const state = await t.sql.query(
        'SELECT run_started_at FROM temperature_run_states WHERE unit_id = $1',
        [tank.id],
      );
      expect(state.rows[0].run_started_at).toBeNull();
    });

    it('counts a resend as duplicates, stores nothing twice and keeps the first value', async () => {
      const tank = await aTank();
      const readings = everyMinute(400, [COLD, COLD, COLD]);
      await postReadings(t.http, technician, tank.id, readings).then((r) => expect(r.status).toBe(202));
      const resend = await postReadings(t.http, technician, tank.id, [
        ...readings.map((r) => ({ ...r, temperatureC: WARM })),
        { at: minutesBefore(397), temperatureC: COLD },
        { at: minutesBefore(397), temperatureC: COLD },
      ]);
      expect(resend).toMatchObject({ status: 202, body: { accepted: 1, duplicates: 4 } });
      expect(await readingsOf(tank.id)).toBe(4);
      const stored = await t.sql.query(
        'SELECT DISTINCT temperature_c FROM temperature_readings WHERE unit_id = $1',
        [tank.id],
      );
      expect(stored.rows).toEqual([{ temperature_c: COLD }]);
      expect(await excursionRowsOf(t.sql, tank.id)).toEqual([]);
    });

    it('judges two concurrent batches that extend one run as one excursion', async () => {
      const tank = await aTank();
      await postReadings(t.http, monitor, tank.id, everyMinute(600, [COLD]));
      const run = everyMinute(599, times(30, WARM));
      const halves = [run.slice(0, 15), run.slice(15)];
      const answers = await Promise.all([
        postReadings(t.http, monitor, tank.id, halves[0]),
        postReadings(t.http, monitor, tank.id, halves[1]),
        postReadings(t.http, monitor, tank.id, halves[0]),
      ]);
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
      expect(answers.reduce((sum, a) => sum + (a.body.accepted as number), 0)).toBe(30);
      const excursions = await excursionRowsOf(t.sql, tank.id);
      expect(excursions).toHaveLength(1);
      expect(excursions[0]).toMatchObject({ status: 'OPEN', started_at: new Date(run[0].at), readings: 30 });
    });

    it('judges late readings with their stored neighbours: a gap filled later can make an excursion', async () => {
      const tank = await aTank();
      const all = everyMinute(700, [COLD, ...times(11, WARM), COLD]);
      // The live feed missed the middle; the logger's file brings it after the frontier moved on.
      await postReadings(t.http, monitor, tank.id, [all[0], all[12]]);
      expect(await excursionRowsOf(t.sql, tank.id)).toEqual([]);
      await postReadings(t.http, technician, tank.id, all.slice(1, 12));
      expect(await excursionRowsOf(t.sql, tank.id)).toMatchObject([
        { status: 'ENDED', started_at: new Date(all[1].at), ended_at: new Date(all[12].at), readings: 11 },
      ]);
    });

    it('does not end a run at a gap in the readings: out of range before and after it is one run', async () => {
      const tank = await aTank();
      const all = everyMinute(760, [COLD, ...times(12, WARM), COLD]);
      await postReadings(t.http, monitor, tank.id, [...all.slice(0, 3), ...all.slice(11)]);
      expect(await excursionRowsOf(t.sql, tank.id)).toMatchObject([
        { status: 'ENDED', started_at: new Date(all[1].at), ended_at: new Date(all[13].at), readings: 4 },
      ]);
    });

    it('refuses more than 10,000 readings, bad values and a reading in the future (400), storing nothing', async () => {
      const tank = await aTank();
      const many = everyMinute(20_000, times(10_001, COLD));
      const cases = [
        [],
        many,
        [{ at: minutesBefore(5), temperatureC: 'cold' }],
        [{ at: minutesBefore(5), temperatureC: -300 }],
        [{ at: '2026-11-01 00:00', temperatureC: COLD }],
        [{ at: minutesBefore(-10), temperatureC: COLD }],
        [{ at: minutesBefore(5), temperatureC: COLD, probe: 'B' }],
      ];
      for (const readings of cases) {
        const response = await t.http
          .post('/api/v1/temperature-readings')
          .set(...bearer(monitor))
          .send({ unitId: tank.id, readings });
        expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      expect(await readingsOf(tank.id)).toBe(0);
    });

    it('accepts 10,000 readings in one request', async () => {
      const tank = await aTank();
      const response = await postReadings(t.http, monitor, tank.id, everyMinute(30_000, times(10_000, COLD)));
      expect(response).toMatchObject({ status: 202, body: { accepted: 10_000, duplicates: 0 } });
    });

    it('answers 404 for an unknown unit and 422 STORAGE_UNSUITABLE for a rack or box', async () => {
      const unknown = await postReadings(
        t.http,
        monitor,
        '7a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        everyMinute(5, [COLD]),
      );
      expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
      const { box } = await aBox(t.http, admin);
      const boxed = await postReadings(t.http, monitor, box.id, everyMinute(5, [COLD]));
      expect([boxed.status, boxed.body.code]).toEqual([422, 'STORAGE_UNSUITABLE']);
    });

    it('is refused to qa and doctors (403), checked before the body', async () => {
      const tank = await aTank();
      for (const who of [qa, doctor]) {
        const response = await postReadings(t.http, who, tank.id, []);
        expect([response.status, response.body.code]).toEqual([403, 'FORBIDDEN']);
      }
    });

    it('writes one audit entry per batch, naming who sent it', async () => {
      const tank = await aTank();
      await postReadings(t.http, monitor, tank.id, everyMinute(800, [COLD, COLD]));
      const audit = await t.sql.query(
        `SELECT actor_id, after FROM audit_entries WHERE entity_id = $1 AND action = 'temperature_readings.recorded'`,
        [tank.id],
      );
      expect(audit.rows).toEqual([
        { actor_id: monitor.id, after: expect.objectContaining({ accepted: 2, duplicates: 0 }) },
      ]);
    });
  });

  describe('the monitor role', () => {
    it('may read itself and change its own password, and nothing else', async () => {
      expect((await t.http.get('/api/v1/auth/me').set(...bearer(monitor))).status).toBe(200);
      const tank = await aTank();
      const forbidden = [
        t.http.get('/api/v1/flags'),
        t.http.get(`/api/v1/storage-units/${tank.id}`),
        t.http.get(`/api/v1/storage-units/${tank.id}/temperatures`),
        t.http.get('/api/v1/excursions'),
        t.http.get('/api/v1/equipment'),
        t.http.get('/api/v1/batches'),
        t.http.post('/api/v1/environmental-samples').send({}),
        t.http
          .post('/api/v1/temperature-readings/import')
          .query({ unitId: tank.id })
          .set('Content-Type', 'text/csv')
          .send('at,temperatureC\n'),
      ];
      for (const call of forbidden) {
        const response = await call.set(...bearer(monitor));
        expect([response.status, response.body.code]).toEqual([403, 'FORBIDDEN']);
      }
      const own = await aPerson(t.http, 'monitor');
      const changed = await t.http
        .post('/api/v1/auth/password')
        .set(...bearer(own))
        .send({ currentPassword: own.password, newPassword: 'a-new-long-monitor-secret' });
      expect(changed.status).toBe(204);
    });
  });

  describe('POST /temperature-readings/import', () => {
    const csv = (lines: string[]): string => ['at,temperatureC', ...lines].join('\n') + '\n';

    it("stores a data logger's file and judges it like any batch", async () => {
      const tank = await aTank();
      const readings = everyMinute(900, [COLD, ...times(10, WARM), COLD]);
      const response = await importLoggerFile(
        t.http,
        technician,
        tank.id,
        csv(readings.map((r) => `${r.at},${r.temperatureC}`)),
      );
      expect(response).toMatchObject({ status: 202, body: { accepted: 12, duplicates: 0 } });
      expect(await excursionRowsOf(t.sql, tank.id)).toHaveLength(1);
    });

    it('replays the first answer to a file sent again with the same Idempotency-Key', async () => {
      const tank = await aTank();
      const body = csv(everyMinute(950, [COLD, COLD, COLD]).map((r) => `${r.at},${r.temperatureC}`));
      const send = () =>
        t.http
          .post('/api/v1/temperature-readings/import')
          .query({ unitId: tank.id })
          .set(...bearer(technician))
          .set('Idempotency-Key', `logger-${tank.id}`)
          .set('Content-Type', 'text/csv')
          .send(body);
      const first = await send();
      const again = await send();
      expect([first.status, again.status]).toEqual([202, 202]);
      expect(again.body).toEqual(first.body);
      expect(again.body).toMatchObject({ accepted: 3, duplicates: 0 });
      expect(await readingsOf(tank.id)).toBe(3);
    });

    it('refuses a file with a bad line (400, naming the line) and stores nothing of it', async () => {
      const tank = await aTank();
      const lines = everyMinute(1000, [COLD, COLD, COLD, COLD]).map((r) => `${r.at},${r.temperatureC}`);
      lines[2] = `${minutesBefore(998)},very cold`;
      const response = await importLoggerFile(t.http, technician, tank.id, csv(lines));
      expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(response.body.details).toMatchObject({ lines: [{ line: 4, field: 'temperatureC' }] });
      expect(await readingsOf(tank.id)).toBe(0);
    });

    it('refuses a file without the header, and JSON instead of CSV', async () => {
      const tank = await aTank();
      const headless = await importLoggerFile(t.http, technician, tank.id, `${minutesBefore(3)},-190\n`);
      expect([headless.status, headless.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const json = await t.http
        .post('/api/v1/temperature-readings/import')
        .query({ unitId: tank.id })
        .set(...bearer(technician))
        .send({ readings: [] });
      expect(json.status).toBe(400);
      expect(await readingsOf(tank.id)).toBe(0);
    });
  });

  describe('PATCH /storage-units/:id', () => {
    it('sets limits that judge the readings arriving from then on, and renames the unit and its path', async () => {
      const { root, box } = await aBox(t.http, admin);
      const patched = await t.http
        .patch(`/api/v1/storage-units/${root.id}`)
        .set(...bearer(admin))
        .send({ name: `${root.name} (B2)`, maxC: -170, excursionMinutes: 5 });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        name: `${root.name} (B2)`,
        limits: { minC: null, maxC: -170, excursionMinutes: 5 },
      });
      const child = await t.http.get(`/api/v1/storage-units/${box.id}`).set(...bearer(admin));
      expect(child.body.path.startsWith(`${root.name} (B2) / `)).toBe(true);
      await postReadings(t.http, monitor, root.id, everyMinute(60, [COLD, ...times(6, -165), COLD]));
      expect(await excursionRowsOf(t.sql, root.id)).toHaveLength(1);
      const audit = await t.sql.query(
        `SELECT before, after FROM audit_entries WHERE entity_id = $1 AND action = 'storage_unit.changed'`,
        [root.id],
      );
      expect(audit.rows[0].before).toMatchObject({ limits: { maxC: -150, excursionMinutes: 10 } });
      expect(audit.rows[0].after).toMatchObject({ limits: { maxC: -170, excursionMinutes: 5 } });
    });

    it('defaults a freezer to maxC -70, and refuses limits on a box, an empty range and a qa caller', async () => {
      const freezer = await aStorageUnit(t.http, admin, { kind: 'FREEZER' });
      const view = await t.http.get(`/api/v1/storage-units/${freezer.id}/temperatures`).set(...bearer(qa));
      expect(view.body.limits).toEqual({ minC: null, maxC: -70, excursionMinutes: 10 });
      const { box } = await aBox(t.http, admin);
      const onBox = await t.http
        .patch(`/api/v1/storage-units/${box.id}`)
        .set(...bearer(admin))
        .send({ maxC: -100 });
      expect([onBox.status, onBox.body.code]).toEqual([422, 'STORAGE_UNSUITABLE']);
      const empty = await t.http
        .patch(`/api/v1/storage-units/${freezer.id}`)
        .set(...bearer(admin))
        .send({ minC: -60, maxC: -70 });
      expect([empty.status, empty.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      const byQa = await t.http
        .patch(`/api/v1/storage-units/${freezer.id}`)
        .set(...bearer(qa))
        .send({ maxC: -60 });
      expect(byQa.status).toBe(403);
      const after = await t.http.get(`/api/v1/storage-units/${freezer.id}/temperatures`).set(...bearer(qa));
      expect(after.body.limits.maxC).toBe(-70);
    });
  });

  describe('GET /storage-units/:id/temperatures', () => {
    it('returns the readings, the limits and the excursions of a period, and draws them as SVG', async () => {
      const tank = await aTank();
      const readings = everyMinute(1200, [COLD, ...times(11, WARM), COLD]);
      await postReadings(t.http, monitor, tank.id, readings);
      const query = { from: minutesBefore(1300), to: minutesBefore(1100) };
      const view = await t.http
        .get(`/api/v1/storage-units/${tank.id}/temperatures`)
        .query(query)
        .set(...bearer(qa));
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        unitId: tank.id,
        downsampled: false,
        limits: { minC: null, maxC: -150, excursionMinutes: 10 },
        excursions: [{ status: 'ENDED', startedAt: readings[1].at }],
      });
      expect(view.body.readings).toHaveLength(13);
      expect(view.body.readings[1]).toEqual({ at: readings[1].at, temperatureC: WARM });
      const svg = await t.http
        .get(`/api/v1/storage-units/${tank.id}/temperatures.svg`)
        .query(query)
        .set(...bearer(technician));
      expect(svg.status).toBe(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(String(svg.body ?? svg.text)).toContain('class="excursion"');
    });

    it("downsamples to at most 2,000 points, keeping each interval's extremes", async () => {
      const tank = await aTank();
      const temperatures = times(6_000, COLD);
      temperatures[3_000] = WARM;
      await postReadings(t.http, monitor, tank.id, everyMinute(7_000, temperatures));
      const view = await t.http
        .get(`/api/v1/storage-units/${tank.id}/temperatures`)
        .query({ from: minutesBefore(7_001), to: minutesBefore(999) })
        .set(...bearer(qa));
      expect(view.body.downsampled).toBe(true);
      expect(view.body.readings.length).toBeLessThanOrEqual(2_000);
      expect(view.body.readings).toContainEqual({ at: minutesBefore(4_000), temperatureC: WARM });
    });

    it('refuses a period that ends before it starts (400)', async () => {
      const tank = await aTank();
      const response = await t.http
        .get(`/api/v1/storage-units/${tank.id}/temperatures`)
        .query({ from: minutesBefore(10), to: minutesBefore(20) })
        .set(...bearer(qa));
      expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });
});
