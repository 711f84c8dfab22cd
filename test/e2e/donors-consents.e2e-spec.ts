import { randomUUID } from 'node:crypto';
import { DomainError } from '../../src/common/errors/domain-error';
import { ErrorCode } from '../../src/common/errors/error-code';
import { SYSTEM_ACTOR } from '../../src/common/transaction/actor';
import { AuthUser } from '../../src/common/transaction/auth-user';
import { TransactionContext, Transactions } from '../../src/common/transaction/transactions.service';
import { EventBus } from '../../src/common/events/event-bus';
import { BankingConsentChanged } from '../../src/donors/events/banking-consent-changed.event';
import { DonorsService } from '../../src/donors/donors.service';
import { aDonor, aScreenedDonor } from '../support/donor-fixtures';
import { aCast, aPerson, bearer, Cast, Person } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();

describe('donors: consents', () => {
  let t: TestApp;
  let cast: Cast;
  let otherDoctor: Person;
  const heard: BankingConsentChanged[] = [];
  /** Donors whose consent change the test handler refuses, to show it runs inside the consent's transaction. */
  const refuseFor = new Set<string>();

  beforeAll(async () => {
    t = await startTestApp();
    t.app.get(EventBus).onEvent(BankingConsentChanged, 'test.listener', async (tx, change) => {
      if (refuseFor.has(change.donorId))
        throw new DomainError(ErrorCode.CONSENT_MISSING, 'refused by the test handler');
      // The handler sees the new consent: it runs after the row is written, in the same transaction.
      const rows = await tx.query<{ banking: boolean }>('SELECT banking FROM donor_consents WHERE id = $1', [
        change.consentId,
      ]);
      if (rows[0]?.banking !== change.current.banking)
        throw new Error('handler ran outside the consent transaction');
      heard.push(change);
    });
    cast = await aCast(t.http);
    otherDoctor = await aPerson(t.http, 'doctor');
  });
  afterAll(async () => {
    await t.close();
  });

  function consent(who: Person | string, donorId: string, body: Record<string, unknown>) {
    return t.http
      .post(`/api/v1/donors/${donorId}/consents`)
      .set(...bearer(who))
      .send({ treatment: true, banking: true, signedAt: ago(HOUR), ...body });
  }

  async function consentCount(donorId: string): Promise<number> {
    const { rows } = await t.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM donor_consents WHERE donor_id = $1',
      [donorId],
    );
    return rows[0].n;
  }

  async function outboxOf(donorId: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
    const { rows } = await t.sql.query(
      'SELECT type, payload FROM outbox_events WHERE subject_id = $1 ORDER BY id',
      [donorId],
    );
    return rows;
  }

  it('replaces the consent in force with a new one, keeping both', async () => {
    const donor = await aDonor(t.http, cast.doctor);
    const response = await consent(cast.doctor, donor.id, {
      treatment: true,
      banking: true,
      formVersion: 'CPC-IC-2026.2',
    }).expect(201);
    const view = await t.http
      .get(`/api/v1/donors/${donor.id}`)
      .set(...bearer(cast.doctor))
      .expect(200);
    expect(view.body.consents).toHaveLength(2);
    expect(response.body.replacesId).toBe(view.body.consents[0].id);
    expect(view.body.consent).toMatchObject({ id: response.body.id, formVersion: 'CPC-IC-2026.2' });
    const audit = await t.sql.query(
      `SELECT before, after FROM audit_entries WHERE entity_id = $1 AND action = 'donor.consent_recorded'`,
      [donor.id],
    );
    expect(audit.rows).toEqual([
      {
        before: expect.objectContaining({ id: view.body.consents[0].id }),
        after: expect.objectContaining({ id: response.body.id }),
      },
    ]);
  });

  it('announces a withdrawal of banking consent to the bank in the same transaction and in the outbox', async () => {
    const donor = await aDonor(t.http, cast.doctor, { banking: true });
    const response = await consent(cast.doctor, donor.id, { treatment: true, banking: false }).expect(201);
    expect(response.body.banking).toBe(false);
    expect(heard.filter((c) => c.donorId === donor.id)).toEqual([
      expect.objectContaining({
        consentId: response.body.id,
        clinicId: cast.clinic.id,
        withdrawn: true,
        previous: { banking: true, bankingExpiresAt: null },
        current: { banking: false, bankingExpiresAt: null },
      }),
    ]);
    const events = await outboxOf(donor.id);
    expect(events).toEqual([
      {
        type: 'donor.banking_consent_changed',
        payload: expect.objectContaining({ withdrawn: true, consentId: response.body.id }),
      },
    ]);
  });

  it('announces a moved banking expiry, but not a change of treatment consent alone', async () => {
    const donor = await aDonor(t.http, cast.doctor, { banking: true });
    await consent(cast.doctor, donor.id, { treatment: false, banking: true }).expect(201);
    expect(await outboxOf(donor.id)).toEqual([]);
    await consent(cast.doctor, donor.id, {
      banking: true,
      bankingExpiresAt: new Date(Date.now() + 400 * 24 * HOUR).toISOString(),
    }).expect(201);
    const events = await outboxOf(donor.id);
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({ withdrawn: false });
  });

  it('rolls the consent back when the bank refuses the change (the handler runs inside its transaction)', async () => {
    const donor = await aDonor(t.http, cast.doctor, { banking: true });
    refuseFor.add(donor.id);
    await consent(cast.doctor, donor.id, { banking: false }).expect(422);
    expect(await consentCount(donor.id)).toBe(1);
    expect(await outboxOf(donor.id)).toEqual([]);
  });

  it('records consent for doctors only (403 for technicians, qa and admins)', async () => {
    const donor = await aDonor(t.http, cast.doctor);
    for (const who of [cast.technician, cast.qa, cast.admin]) {
      const response = await consent(who, donor.id, {}).expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
    expect(await consentCount(donor.id)).toBe(1);
  });

  it("hides another clinic's donor from a doctor (404), and answers 404 for an unknown donor", async () => {
    const donor = await aDonor(t.http, cast.doctor);
    await consent(otherDoctor, donor.id, { banking: false }).expect(404);
    expect(await consentCount(donor.id)).toBe(1);
    await consent(cast.doctor, randomUUID(), {}).expect(404);
  });

  it.each([
    ['a missing treatment flag', { treatment: undefined }, 'treatment'],
    ['a signature in the future', { signedAt: new Date(Date.now() + HOUR).toISOString() }, 'signedAt'],
    [
      'a banking expiry with banking refused',
      { banking: false, bankingExpiresAt: '2035-01-01T00:00:00+09:00' },
      'bankingExpiresAt',
    ],
    ['a blank form version', { formVersion: '  ' }, 'formVersion'],
    ['an unknown property', { donorId: randomUUID() }, 'donorId'],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_case, body, field) => {
    const donor = await aDonor(t.http, cast.doctor);
    const response = await consent(cast.doctor, donor.id, body).expect(400);
    expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await consentCount(donor.id)).toBe(1);
  });
  describe('DonorsService, for the modules that rely on consent and screening', () => {
    const service = (): DonorsService => t.app.get(DonorsService);
    const inTransaction = <T>(work: (tx: TransactionContext) => Promise<T>): Promise<T> =>
      t.app.get(Transactions).run(SYSTEM_ACTOR, work);
    const asUser = (person: Person): AuthUser => ({
      id: person.id,
      email: person.email,
      name: person.name,
      role: person.role,
      clinicId: person.clinicId,
    });

    it('requires banking consent in force at the time asked (CONSENT_MISSING when refused, withdrawn or lapsed)', async () => {
      const refused = await aDonor(t.http, cast.doctor, { banking: false });
      await expect(
        inTransaction((tx) => service().requireBankingConsent(tx, refused.id, new Date())),
      ).rejects.toMatchObject({
        code: 'CONSENT_MISSING',
      });

      const banked = await aDonor(t.http, cast.doctor, { banking: true });
      await expect(
        inTransaction((tx) => service().requireBankingConsent(tx, banked.id, new Date())),
      ).resolves.toMatchObject({
        banking: true,
      });
      const expiresAt = new Date(Date.now() + 30 * 24 * HOUR);
      await consent(cast.doctor, banked.id, {
        banking: true,
        bankingExpiresAt: expiresAt.toISOString(),
      }).expect(201);
      await expect(
        inTransaction((tx) =>
          service().requireBankingConsent(tx, banked.id, new Date(expiresAt.getTime() - 1)),
        ),
      ).resolves.toBeDefined();
      await expect(
        inTransaction((tx) => service().requireBankingConsent(tx, banked.id, expiresAt)),
      ).rejects.toMatchObject({
        code: 'CONSENT_MISSING',
      });
      await expect(
        inTransaction((tx) => service().requireBankingConsent(tx, randomUUID(), new Date())),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('answers the screening status and the consent in force, and hides donors by clinic', async () => {
      const screened = await aScreenedDonor(t.http, cast.doctor, { reactive: true });
      await expect(inTransaction((tx) => service().screeningStatus(screened.id, tx.manager))).resolves.toBe(
        'REACTIVE',
      );
      await expect(
        inTransaction((tx) => service().currentConsent(screened.id, tx.manager)),
      ).resolves.toMatchObject({
        treatment: true,
      });
      await expect(service().findVisible(asUser(cast.doctor), screened.id)).resolves.toMatchObject({
        code: screened.code,
      });
      await expect(service().findVisible(asUser(otherDoctor), screened.id)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(service().findVisible(asUser(cast.technician), screened.id)).resolves.toMatchObject({
        id: screened.id,
      });
    });
  });
});
