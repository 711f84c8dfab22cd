import { FlagsService } from '../../src/flags/flags.service';
import { FlagType } from '../../src/flags/domain/flag-type';
import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { aJobsApp, eventually, flagWithin, JobsTestApp, sleep } from '../support/flag-fixtures';
import {
  aWebhook,
  deliveriesOf,
  deliveriesWhen,
  testNotificationSettings,
} from '../support/notification-fixtures';
import { aCast, aClinic, aPerson, bearer, Cast } from '../support/people';
import { passingQc, release } from '../support/release-fixtures';
import { verifyStandardWebhook, WebhookReceiver } from '../support/webhook-receiver';
import { randomUUID } from 'node:crypto';

/** A batch whose QC just completed and passed: READY_FOR_RELEASE is raised for it. */
async function aBatchReadyForRelease(t: JobsTestApp, cast: Cast): Promise<{ id: string; din: string }> {
  const batch = await aCultureCompleteBatch(t.http, cast);
  await passingQc(t.http, batch.id, cast.technician2.token);
  await flagWithin(t.http, cast.qa.token, { type: 'READY_FOR_RELEASE', subjectId: batch.id });
  return batch;
}

describe("webhooks: flags reach the clinics' and the facility's systems", () => {
  let t: JobsTestApp;
  let cast: Cast;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await aJobsApp({ notifications: testNotificationSettings() });
    cast = await aCast(t.http);
  }, 60_000);
  afterAll(async () => {
    await t.dispose();
    await receiver.close();
  });
  beforeEach(() => receiver.answerWith(204));

  it('shows the whsec_ secret once, on creation, and stores it sealed', async () => {
    const created = await aWebhook(t.http, cast.admin, { url: receiver.url('/once'), events: ['*'] });
    expect(created).toMatchObject({
      url: receiver.url('/once'),
      events: ['*'],
      clinicId: null,
      active: true,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const listed = await t.http.get('/api/v1/webhooks').set(...bearer(cast.admin));
    expect(listed.status).toBe(200);
    const mine = (listed.body as { items: Record<string, unknown>[] }).items.find((w) => w.id === created.id);
    expect(mine).toBeDefined();
    expect(mine).not.toHaveProperty('secret');
    expect(JSON.stringify(listed.body)).not.toContain(created.secret.slice(6));

    const stored = await t.sql.query('SELECT secret_sealed FROM webhooks WHERE id = $1', [created.id]);
    expect(stored.rows[0].secret_sealed).not.toContain(created.secret.slice(6));
    const audit = await t.sql.query('SELECT canonical FROM audit_entries WHERE entity_id = $1', [created.id]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].canonical).not.toContain(created.secret.slice(6));
    await t.http
      .patch(`/api/v1/webhooks/${created.id}`)
      .set(...bearer(cast.admin))
      .send({ active: false });
  });

  it('delivers flag.raised and flag.resolved, signed as Standard Webhooks, verified by an independent HMAC', async () => {
    const hook = await aWebhook(t.http, cast.admin, {
      url: receiver.url('/signed'),
      events: ['READY_FOR_RELEASE'],
    });
    const batch = await aBatchReadyForRelease(t, cast);
    const raised = await eventually(
      async () =>
        receiver.received.find((r) => r.json.type === 'flag.raised' && r.json.data.batchId === batch.id),
      10_000,
      'flag.raised at the receiver',
    );
    expect(verifyStandardWebhook(hook.secret, raised, raised.body)).toBe(true);
    expect(verifyStandardWebhook(hook.secret, raised, `${raised.body} `)).toBe(false);
    expect(Math.abs(Number(raised.timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(raised.headers['content-type']).toBe('application/json');
    expect(raised.json).toMatchObject({
      type: 'flag.raised',
      data: { type: 'READY_FOR_RELEASE', batchId: batch.id, status: 'OPEN', clinicId: cast.clinic.id },
    });
    expect(new Date(raised.json.timestamp).toISOString()).toBe(raised.json.timestamp);
    // data is the flag as GET /flags shows it.
    const listed = await t.http
      .get('/api/v1/flags')
      .query({ type: 'READY_FOR_RELEASE', batchId: batch.id })
      .set(...bearer(cast.qa));
    expect(raised.json.data).toEqual(JSON.parse(JSON.stringify(listed.body.items[0])));

    expect((await release(t.http, batch.id, cast.qa)).status).toBe(200);
    const resolved = await eventually(
      async () =>
        receiver.received.find((r) => r.json.type === 'flag.resolved' && r.json.data.batchId === batch.id),
      10_000,
      'flag.resolved at the receiver',
    );
    expect(verifyStandardWebhook(hook.secret, resolved, resolved.body)).toBe(true);
    expect(resolved.id).not.toBe(raised.id);
    expect(resolved.json.data).toMatchObject({ id: raised.json.data.id, status: 'RESOLVED' });

    const deliveries = await deliveriesWhen(
      t.http,
      cast.admin,
      hook.id,
      (d) => d.length === 2 && d.every((x) => x.state === 'DELIVERED'),
    );
    expect(deliveries.map((d) => d.type)).toEqual(['flag.resolved', 'flag.raised']); // newest first
    expect(deliveries.map((d) => d.eventId)).toEqual([resolved.id, raised.id]);
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({ attempts: 1, responseStatus: 204, nextAttemptAt: null });
      expect(delivery.lastAttemptAt).not.toBeNull();
    }
    await t.http
      .patch(`/api/v1/webhooks/${hook.id}`)
      .set(...bearer(cast.admin))
      .send({ active: false });
  });

  it('retries a failing receiver with the same webhook-id and growing pauses until it answers 2xx', async () => {
    const hook = await aWebhook(t.http, cast.admin, {
      url: receiver.url('/flaky'),
      events: ['READY_FOR_RELEASE'],
    });
    receiver.answerWith(({ count }) => (count <= 3 ? 503 : 200));
    const batch = await aBatchReadyForRelease(t, cast);
    const [delivery] = await deliveriesWhen(
      t.http,
      cast.admin,
      hook.id,
      (d) => d.length === 1 && d[0].state === 'DELIVERED',
      20_000,
      'the flaky delivery delivered',
    );
    const requests = receiver.deliveriesOf(delivery.eventId).filter((r) => r.json.data.batchId === batch.id);
    expect(requests.map((r) => r.answered)).toEqual([503, 503, 503, 200]);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1); // byte for byte the same event
    for (const request of requests)
      expect(verifyStandardWebhook(hook.secret, request, request.body)).toBe(true);
    expect(delivery).toMatchObject({ attempts: 4, responseStatus: 200, state: 'DELIVERED' });
    const attempts = await t.sql.query(
      'SELECT attempt, response_status, attempted_at FROM webhook_delivery_attempts WHERE delivery_id = $1 ORDER BY attempt',
      [delivery.id],
    );
    expect(attempts.rows.map((row: { response_status: number }) => row.response_status)).toEqual([
      503, 503, 503, 200,
    ]);
    const times = attempts.rows.map((row: { attempted_at: Date }) => row.attempted_at.getTime());
    const gaps = times.slice(1).map((time: number, i: number) => time - times[i]);
    // 300 ms, 600 ms, 1000 ms (capped), each within 20 % jitter; a sweep may add up to a second.
    expect(gaps[0]).toBeGreaterThanOrEqual(240);
    expect(gaps[1]).toBeGreaterThanOrEqual(480);
    expect(gaps[2]).toBeGreaterThanOrEqual(800);
    await t.http
      .patch(`/api/v1/webhooks/${hook.id}`)
      .set(...bearer(cast.admin))
      .send({ active: false });
  });

  it('fails a delivery once the retry window has passed, and a manual retry sends the same event again', async () => {
    const hook = await aWebhook(t.http, cast.admin, {
      url: receiver.url('/down'),
      events: ['READY_FOR_RELEASE'],
    });
    receiver.answerWith(500);
    await aBatchReadyForRelease(t, cast);
    const [failed] = await deliveriesWhen(
      t.http,
      cast.admin,
      hook.id,
      (d) => d.length === 1 && d[0].state === 'FAILED',
      20_000,
      'the delivery FAILED',
    );
    expect(failed.attempts).toBeGreaterThanOrEqual(4);
    expect(failed).toMatchObject({ responseStatus: 500, nextAttemptAt: null });
    const before = receiver.deliveriesOf(failed.eventId).length;
    await sleep(1500);
    expect(receiver.deliveriesOf(failed.eventId)).toHaveLength(before); // FAILED stays failed

    receiver.answerWith(200);
    const retried = await t.http
      .post(`/api/v1/webhooks/${hook.id}/deliveries/${failed.id}/retry`)
      .set(...bearer(cast.admin));
    expect(retried.status).toBe(202);
    const [delivered] = await deliveriesWhen(t.http, cast.admin, hook.id, (d) => d[0].state === 'DELIVERED');
    expect(delivered).toMatchObject({
      id: failed.id,
      eventId: failed.eventId,
      attempts: failed.attempts + 1,
    });
    const last = receiver.deliveriesOf(failed.eventId).at(-1);
    expect(last?.answered).toBe(200);
    expect(verifyStandardWebhook(hook.secret, last!, last!.body)).toBe(true);
    const audit = await t.sql.query(
      `SELECT action FROM audit_entries WHERE entity_id = $1 AND action = 'webhook.delivery_retried'`,
      [failed.id],
    );
    expect(audit.rows).toHaveLength(1);
    await t.http
      .patch(`/api/v1/webhooks/${hook.id}`)
      .set(...bearer(cast.admin))
      .send({ active: false });
  });

  it("gives a clinic's webhook only its clinic's flags, and facility flags only to facility webhooks", async () => {
    const otherClinic = await aClinic(t.http);
    const mine = await aWebhook(t.http, cast.admin, {
      url: receiver.url('/mine'),
      events: ['*'],
      clinicId: cast.clinic.id,
    });
    const theirs = await aWebhook(t.http, cast.admin, {
      url: receiver.url('/theirs'),
      events: ['*'],
      clinicId: otherClinic.id,
    });
    const facility = await aWebhook(t.http, cast.admin, {
      url: receiver.url('/facility'),
      events: ['CALIBRATION_DUE'],
    });

    const batch = await aBatchReadyForRelease(t, cast);
    await deliveriesWhen(t.http, cast.admin, mine.id, (d) => d.some((x) => x.state === 'DELIVERED'));
    // A facility flag (no clinic), raised the way the equipment jobs raise it.
    const equipmentId = randomUUID();
    await t.app.get(FlagsService).reconcile(FlagType.CALIBRATION_DUE, equipmentId, async () => ({
      holds: true,
      details: { code: 'INC-07', calibrationDueAt: new Date().toISOString() },
      placement: { clinicId: null, batchId: null, doseId: null, reviewId: null },
    }));
    const [facilityDelivery] = await deliveriesWhen(
      t.http,
      cast.admin,
      facility.id,
      (d) => d.length === 1 && d[0].state === 'DELIVERED',
    );
    const facilityEvent = receiver.deliveriesOf(facilityDelivery.eventId)[0];
    expect(facilityEvent.json.data).toMatchObject({
      type: 'CALIBRATION_DUE',
      clinicId: null,
      subjectId: equipmentId,
    });
    await sleep(1500);

    const mineDeliveries = await deliveriesOf(t.http, cast.admin, mine.id);
    const received = mineDeliveries.map((d) => receiver.deliveriesOf(d.eventId)[0].json.data);
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((flag) => flag.clinicId === cast.clinic.id)).toBe(true);
    expect(received.some((flag) => flag.batchId === batch.id)).toBe(true);
    expect(await deliveriesOf(t.http, cast.admin, theirs.id)).toEqual([]);
    expect(
      receiver.received.filter((r) => r.headers.host && r.json.data.type === 'CALIBRATION_DUE'),
    ).toHaveLength(1);
    for (const hook of [mine, theirs, facility])
      await t.http
        .patch(`/api/v1/webhooks/${hook.id}`)
        .set(...bearer(cast.admin))
        .send({ active: false });
  });

  it('sends nothing to an inactive webhook, and to one that does not list the flag type', async () => {
    const inactive = await aWebhook(t.http, cast.admin, { url: receiver.url('/inactive'), events: ['*'] });
    const elsewhere = await aWebhook(t.http, cast.admin, {
      url: receiver.url('/expiring'),
      events: ['DOSE_EXPIRING'],
    });
    const patched = await t.http
      .patch(`/api/v1/webhooks/${inactive.id}`)
      .set(...bearer(cast.admin))
      .send({ active: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: inactive.id, active: false, events: ['*'] });
    expect(patched.body).not.toHaveProperty('secret');
    await aBatchReadyForRelease(t, cast);
    await sleep(1500);
    expect(await deliveriesOf(t.http, cast.admin, inactive.id)).toEqual([]);
    expect(await deliveriesOf(t.http, cast.admin, elsewhere.id)).toEqual([]);
    await t.http
      .patch(`/api/v1/webhooks/${elsewhere.id}`)
      .set(...bearer(cast.admin))
      .send({ active: false });
  });

  describe('refusals', () => {
    const count = async () => Number((await t.sql.query('SELECT count(*) FROM webhooks')).rows[0].count);

    it.each([
      [{ url: 'https://hooks.example.org/x', events: [] }, 'events'],
      [{ url: 'https://hooks.example.org/x', events: ['NOT_A_FLAG'] }, 'events'],
      [{ url: 'https://hooks.example.org/x', events: ['*', 'DOSE_EXPIRING'] }, 'events'],
      [{ url: 'https://hooks.example.org/x', events: ['DOSE_EXPIRING', 'DOSE_EXPIRING'] }, 'events'],
      [{ url: 'ftp://hooks.example.org/x', events: ['*'] }, 'url'],
      [{ url: 'https://user:pw@hooks.example.org/x', events: ['*'] }, 'url'],
      [{ url: 'https://hooks.example.org/x', events: ['*'], secret: 'whsec_mine' }, 'secret'],
      [{ url: 'https://hooks.example.org/x', events: ['*'], clinicId: 'not-a-uuid' }, 'clinicId'],
    ])('refuses %j (400 on %s) and stores nothing', async (body, field) => {
      const before = await count();
      const response = await t.http
        .post('/api/v1/webhooks')
        .set(...bearer(cast.admin))
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(response.body.details)).toContain(field);
      expect(await count()).toBe(before);
    });

    it('answers 404 for a clinic that does not exist', async () => {
      const response = await t.http
        .post('/api/v1/webhooks')
        .set(...bearer(cast.admin))
        .send({ url: receiver.url('/x'), events: ['*'], clinicId: randomUUID() });
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });

    it.each(['technician', 'qa', 'doctor'] as const)(
      'refuses a %s (403) on every webhook route',
      async (role) => {
        const person = await aPerson(t.http, role, cast.clinic);
        const id = randomUUID();
        const calls = [
          t.http.post('/api/v1/webhooks').send({ url: receiver.url(), events: ['*'] }),
          t.http.get('/api/v1/webhooks'),
          t.http.patch(`/api/v1/webhooks/${id}`).send({ active: false }),
          t.http.get(`/api/v1/webhooks/${id}/deliveries`),
          t.http.post(`/api/v1/webhooks/${id}/deliveries/${randomUUID()}/retry`),
        ];
        for (const call of calls) {
          const response = await call.set(...bearer(person));
          expect(response.status).toBe(403);
          expect(response.body.code).toBe('FORBIDDEN');
        }
      },
    );

    it('answers 404 for unknown webhooks and deliveries, and for a delivery of another webhook', async () => {
      const a = await aWebhook(t.http, cast.admin, { url: receiver.url('/a'), events: ['*'] });
      const b = await aWebhook(t.http, cast.admin, { url: receiver.url('/b'), events: ['*'] });
      await aBatchReadyForRelease(t, cast);
      const [delivery] = await deliveriesWhen(t.http, cast.admin, a.id, (d) => d.length > 0);
      const unknown = randomUUID();
      for (const [method, path] of [
        ['patch', `/api/v1/webhooks/${unknown}`],
        ['get', `/api/v1/webhooks/${unknown}/deliveries`],
        ['post', `/api/v1/webhooks/${unknown}/deliveries/${delivery.id}/retry`],
        ['post', `/api/v1/webhooks/${a.id}/deliveries/${unknown}/retry`],
        ['post', `/api/v1/webhooks/${b.id}/deliveries/${delivery.id}/retry`],
      ] as const) {
        const response = await t.http[method](path)
          .set(...bearer(cast.admin))
          .send(method === 'patch' ? { active: true } : undefined);
        expect([path, response.status]).toEqual([path, 404]);
        expect(response.body.code).toBe('NOT_FOUND');
      }
      const badId = await t.http.get('/api/v1/webhooks/not-a-uuid/deliveries').set(...bearer(cast.admin));
      expect(badId.status).toBe(400);
      for (const hook of [a, b])
        await t.http
          .patch(`/api/v1/webhooks/${hook.id}`)
          .set(...bearer(cast.admin))
          .send({ active: false });
    });

    it('validates PATCH: unknown fields, empty events, a url cannot be changed', async () => {
      const hook = await aWebhook(t.http, cast.admin, { url: receiver.url('/patch'), events: ['*'] });
      for (const body of [
        { events: [] },
        { url: 'https://elsewhere.example.org' },
        { active: 'yes' },
        { events: ['NOPE'] },
      ]) {
        const response = await t.http
          .patch(`/api/v1/webhooks/${hook.id}`)
          .set(...bearer(cast.admin))
          .send(body);
        expect(response.status).toBe(400);
        expect(response.body.code).toBe('VALIDATION_FAILED');
      }
      const changed = await t.http
        .patch(`/api/v1/webhooks/${hook.id}`)
        .set(...bearer(cast.admin))
        .send({ events: ['DOSE_EXPIRING', 'READY_FOR_INJECTION'], active: false });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ events: ['DOSE_EXPIRING', 'READY_FOR_INJECTION'], active: false });
    });
  });
});
