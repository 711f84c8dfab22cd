import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { eventually, testJobSettings } from '../support/flag-fixtures';
import { aWebhook, deliveriesWhen, testNotificationSettings } from '../support/notification-fixtures';
import { aCast, bearer } from '../support/people';
import { passingQc } from '../support/release-fixtures';
import { aPrivateDatabase, startTestApp, startTestAppWith, TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

const strict = () => testNotificationSettings({ webhookAllowInsecure: false });

describe('webhooks never reach inside the network unless WEBHOOK_ALLOW_INSECURE', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { notifications: strict() } });
    admin = (await aCast(t.http)).admin;
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it.each([
    'https://127.0.0.1/hook',
    'https://localhost/hook',
    'https://10.1.2.3/hook',
    'https://192.168.0.10:8443/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://[fd00::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'http://127.0.0.1/hook',
    'https://no-such-host.invalid/hook',
  ])('refuses %s (400 on url) and stores nothing', async (url) => {
    const before = Number((await t.sql.query('SELECT count(*) FROM webhooks')).rows[0].count);
    const response = await t.http
      .post('/api/v1/webhooks')
      .set(...bearer(admin))
      .send({ url, events: ['*'] });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.details.fields[0].field).toBe('url');
    expect(Number((await t.sql.query('SELECT count(*) FROM webhooks')).rows[0].count)).toBe(before);
  });

  it('refuses, at delivery time, an address that became forbidden, and sends nothing', async () => {
    const db = await aPrivateDatabase();
    const receiver = await WebhookReceiver.start();
    try {
      // Registered while loopback was allowed ...
      const open = await startTestAppWith({ ...db.settings, notifications: testNotificationSettings() });
      const cast = await aCast(open.http);
      const hook = await aWebhook(open.http, cast.admin, {
        url: receiver.url('/inside'),
        events: ['READY_FOR_RELEASE'],
      });
      await open.close();
      // ... then delivered by a process that does not allow it.
      const closed = await startTestAppWith({
        ...db.settings,
        jobs: testJobSettings(),
        notifications: strict(),
      });
      try {
        const batch = await aCultureCompleteBatch(closed.http, cast);
        await passingQc(closed.http, batch.id, cast.technician2.token);
        const [delivery] = await deliveriesWhen(
          closed.http,
          cast.admin,
          hook.id,
          (d) => d.length === 1 && d[0].attempts >= 2,
        );
        expect(delivery.state).toBe('PENDING');
        expect(delivery.responseStatus).toBeNull();
        await eventually(
          async () => {
            const rows = await closed.sql.query(
              'SELECT error FROM webhook_delivery_attempts WHERE delivery_id = $1',
              [delivery.id],
            );
            return (
              rows.rows.length > 0 &&
              rows.rows.every((row: { error: string }) => /http|loopback/.test(row.error))
            );
          },
          5000,
          'refused attempts',
        );
        expect(receiver.received).toHaveLength(0);
      } finally {
        await closed.close();
      }
    } finally {
      await receiver.close();
      await db.drop();
    }
  }, 60_000);
});
