import { randomUUID } from 'node:crypto';
import { aPerson, bearer, Person } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * "At most 5 minutes ahead" is measured against the application's Clock, not the machine's: a run with a
 * clock a year behind refuses a time that is past for the machine, and one a year ahead accepts a time the
 * machine still calls future.
 */
describe('Past-event validation reads the Clock provider', () => {
  const YEAR_MS = 365 * 24 * 3600 * 1000;

  const namedFields = async (t: TestApp, who: Person, path: string, body: object): Promise<string[]> => {
    const response = await t.http
      .post(path)
      .set(...bearer(who))
      .send(body);
    expect(response.status).toBe(400);
    return (response.body.details.fields as { field: string }[]).map((f) => f.field);
  };

  describe('with a clock a year behind the machine', () => {
    let t: TestApp;
    let technician: Person;
    beforeAll(async () => {
      t = await startTestApp({ clock: new Date(Date.now() - YEAR_MS) });
      technician = await aPerson(t.http, 'technician');
    });
    afterAll(() => t.close());

    it('refuses a time that is past for the machine but months ahead of the clock', async () => {
      const receivedAt = new Date(Date.now() - YEAR_MS / 2).toISOString();
      const fields = await namedFields(t, technician, `/api/v1/harvests/${randomUUID()}/receipt`, {
        receivedAt,
      });
      expect(fields).toContain('receivedAt');
    });

    it('refuses such a temperature reading too', async () => {
      const at = new Date(Date.now() - YEAR_MS / 2).toISOString();
      const fields = await namedFields(t, technician, '/api/v1/temperature-readings', {
        unitId: 'not-a-uuid',
        readings: [{ at, temperatureC: -190 }],
      });
      expect(fields).toContain('readings');
    });
  });

  describe('with a clock a year ahead of the machine', () => {
    let t: TestApp;
    let technician: Person;
    beforeAll(async () => {
      t = await startTestApp({ clock: new Date(Date.now() + YEAR_MS) });
      technician = await aPerson(t.http, 'technician');
    });
    afterAll(() => t.close());

    it('accepts a time the machine calls future but the clock calls past', async () => {
      const receivedAt = new Date(Date.now() + YEAR_MS / 2).toISOString();
      const fields = await namedFields(t, technician, `/api/v1/harvests/${randomUUID()}/receipt`, {
        receivedAt,
      });
      expect(fields).not.toContain('receivedAt');
    });

    it('accepts such a temperature reading too', async () => {
      const at = new Date(Date.now() + YEAR_MS / 2).toISOString();
      const fields = await namedFields(t, technician, '/api/v1/temperature-readings', {
        unitId: 'not-a-uuid',
        readings: [{ at, temperatureC: -190 }],
      });
      expect(fields).toEqual(['unitId']);
    });
  });
});
