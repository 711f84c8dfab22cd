import { randomUUID } from 'node:crypto';
import { FlagType } from '../../src/flags/domain/flag-type';
import { FlagsService } from '../../src/flags/flags.service';
import { aCultureCompleteBatch } from '../support/batch-fixtures';
import { aJobsApp, eventually, flagWithin, JobsTestApp, sleep } from '../support/flag-fixtures';
import { testNotificationSettings } from '../support/notification-fixtures';
import { aCast, aClinic, aPerson, bearer, Cast, Person } from '../support/people';
import { passingQc } from '../support/release-fixtures';
import { SmtpSink } from '../support/smtp-sink';

async function optIn(t: JobsTestApp, who: Person, types: string[]): Promise<void> {
  const response = await t.http
    .put('/api/v1/users/me/notifications')
    .set(...bearer(who))
    .send({ email: types });
  expect(response.status).toBe(200);
  expect(response.body).toEqual({ email: types });
}

describe('e-mail about flags, for the users who asked and may see them', () => {
  let t: JobsTestApp;
  let cast: Cast;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    t = await aJobsApp({
      notifications: testNotificationSettings({ smtpUrl: smtp.url, smtpFrom: 'CPC Tracker <cpc@cpc.test>' }),
    });
    cast = await aCast(t.http);
  }, 60_000);
  afterAll(async () => {
    await t.dispose();
    await smtp.close();
  });

  it('mails the flag to those who opted in and may see it, with the DIN and a link, and to no one else', async () => {
    const otherClinic = await aClinic(t.http);
    const otherDoctor = await aPerson(t.http, 'doctor', otherClinic);
    const technician = await aPerson(t.http, 'technician');
    await optIn(t, cast.qa, ['READY_FOR_RELEASE']);
    await optIn(t, cast.doctor, ['READY_FOR_RELEASE', 'DOSE_EXPIRING']);
    await optIn(t, otherDoctor, ['READY_FOR_RELEASE']);
    await optIn(t, technician, ['DOSE_EXPIRING']);

    const batch = await aCultureCompleteBatch(t.http, cast);
    await passingQc(t.http, batch.id, cast.technician2.token);
    await flagWithin(t.http, cast.qa.token, { type: 'READY_FOR_RELEASE', subjectId: batch.id });

    const [toQa] = await eventually(
      async () => {
        const mails = smtp.to(cast.qa.email).filter((mail) => mail.text.includes(batch.din));
        return mails.length > 0 ? mails : null;
      },
      10_000,
      'the e-mail to QA',
    );
    expect(toQa.from).toBe('cpc@cpc.test');
    expect(toQa.to).toEqual([cast.qa.email]);
    expect(toQa.subject).toBe(`[CPC] Ready for release - DIN ${batch.din}`);
    expect(toQa.text).toContain(`/api/v1/batches/${batch.id}`);
    await eventually(
      async () => smtp.to(cast.doctor.email).some((mail) => mail.text.includes(batch.din)),
      10_000,
      'the e-mail to the doctor',
    );

    await sleep(1500);
    expect(smtp.to(otherDoctor.email)).toEqual([]);
    expect(smtp.to(technician.email)).toEqual([]);
    const rows = await t.sql.query(
      `SELECT e.state, e.recipient FROM email_deliveries e JOIN notification_events n ON n.id = e.event_id
        WHERE n.flag_type = 'READY_FOR_RELEASE' AND n.body LIKE '%' || $1 || '%'`,
      [batch.id],
    );
    expect(rows.rows.map((row: { recipient: string }) => row.recipient).sort()).toEqual(
      [cast.qa.email, cast.doctor.email].sort(),
    );
  });

  it('never mails a facility flag to a doctor, who may not see it', async () => {
    await optIn(t, cast.doctor, ['CALIBRATION_DUE']);
    await optIn(t, cast.qa, ['CALIBRATION_DUE']);
    const equipmentId = randomUUID();
    await t.app.get(FlagsService).reconcile(FlagType.CALIBRATION_DUE, equipmentId, async () => ({
      holds: true,
      details: { code: `INC-${equipmentId.slice(0, 4)}` },
      placement: { clinicId: null, batchId: null, doseId: null, reviewId: null },
    }));
    await eventually(
      async () => smtp.to(cast.qa.email).some((mail) => mail.text.includes(equipmentId.slice(0, 4))),
      10_000,
      'the calibration e-mail to QA',
    );
    await sleep(1000);
    expect(smtp.to(cast.doctor.email).filter((mail) => mail.subject.includes('Calibration'))).toEqual([]);
  });

  it('queues and retries an e-mail the mail server refused', async () => {
    const qa = await aPerson(t.http, 'qa');
    await optIn(t, qa, ['READY_FOR_RELEASE']);
    smtp.refusing = true;
    const batch = await aCultureCompleteBatch(t.http, cast);
    await passingQc(t.http, batch.id, cast.technician2.token);
    await eventually(
      async () => {
        const rows = await t.sql.query(`SELECT attempts FROM email_deliveries WHERE recipient = $1`, [
          qa.email,
        ]);
        return rows.rows[0]?.attempts >= 2;
      },
      10_000,
      'two refused attempts',
    );
    smtp.refusing = false;
    await eventually(
      async () => smtp.to(qa.email).length === 1,
      10_000,
      'the e-mail, once the server takes it',
    );
    const row = await t.sql.query(
      `SELECT state, attempts, sent_at FROM email_deliveries WHERE recipient = $1`,
      [qa.email],
    );
    expect(row.rows[0].state).toBe('SENT');
    expect(row.rows[0].attempts).toBeGreaterThanOrEqual(3);
    await sleep(1000);
    expect(smtp.to(qa.email)).toHaveLength(1);
  });

  it('sends nothing to a user who was deactivated before the mail went out', async () => {
    const qa = await aPerson(t.http, 'qa');
    await optIn(t, qa, ['READY_FOR_RELEASE']);
    const deactivated = await t.http
      .patch(`/api/v1/users/${qa.id}`)
      .set(...bearer(cast.admin))
      .send({ active: false });
    expect(deactivated.status).toBe(200);
    const batch = await aCultureCompleteBatch(t.http, cast);
    await passingQc(t.http, batch.id, cast.technician2.token);
    await flagWithin(t.http, cast.qa.token, { type: 'READY_FOR_RELEASE', subjectId: batch.id });
    await sleep(2000);
    expect(smtp.to(qa.email)).toEqual([]);
  });

  it('reads back the preferences, refuses unknown flag types and roles outside the session', async () => {
    const mine = await t.http.get('/api/v1/users/me/notifications').set(...bearer(cast.qa));
    expect(mine.status).toBe(200);
    expect(mine.body.email).toEqual(expect.arrayContaining(['CALIBRATION_DUE']));
    for (const body of [
      { email: ['NOT_A_FLAG'] },
      { email: 'DOSE_EXPIRING' },
      { email: ['*'] },
      { email: [], sms: [] },
      {},
    ]) {
      const response = await t.http
        .put('/api/v1/users/me/notifications')
        .set(...bearer(cast.qa))
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    }
    const unchanged = await t.http.get('/api/v1/users/me/notifications').set(...bearer(cast.qa));
    expect(unchanged.body).toEqual(mine.body);
    const anonymous = await t.http.put('/api/v1/users/me/notifications').send({ email: [] });
    expect(anonymous.status).toBe(401);
    await optIn(t, cast.qa, []);
  });
});
