import { createHash } from 'node:crypto';
import { SignatureService } from '../../src/auth/signature.service';
import { canonicalJson } from '../../src/audit/canonical';
import { aPerson, bearer, Person } from '../support/people';
import { loginAsAdmin, startTestApp, TestApp } from '../support/test-app';

describe('auth: electronic signatures by re-authentication (SignatureService)', () => {
  let t: TestApp;
  let signatures: SignatureService;
  let qa: Person;
  const at = new Date('2026-11-24T09:30:00Z');
  const record = {
    batchId: 'b-1',
    finalHarvest: { totalCells: 150_000_000, viabilityPct: 93.5, performedAt: at },
    qc: [1, 2],
  };

  beforeAll(async () => {
    t = await startTestApp();
    signatures = t.app.get(SignatureService);
  });
  beforeEach(async () => {
    qa = await aPerson(t.http, 'qa');
  });
  afterAll(async () => {
    await t.close();
  });

  const failureKinds = async (userId: string): Promise<string[]> =>
    (await t.sql.query('SELECT kind FROM auth_failures WHERE user_id = $1 ORDER BY id', [userId])).rows.map(
      (row: { kind: string }) => row.kind,
    );

  it('signs with the right password: who, printed name, role, meaning, time, and the SHA-256 of the canonical record', async () => {
    const signature = await signatures.sign(
      qa,
      { password: qa.password, meaning: '  Released for clinical use ', record },
      at,
    );
    expect(signature).toEqual({
      signerId: qa.id,
      signerName: qa.name,
      signerRole: 'qa',
      meaning: 'Released for clinical use',
      signedAt: at,
      recordHash: createHash('sha256').update(canonicalJson(record), 'utf8').digest('hex'),
    });
    expect(signature.recordHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('binds the hash to the content, not to key order', async () => {
    const reordered = {
      qc: [1, 2],
      finalHarvest: { performedAt: at, viabilityPct: 93.5, totalCells: 150_000_000 },
      batchId: 'b-1',
    };
    const changed = { ...record, qc: [2, 1] };
    const sign = (what: unknown) =>
      signatures.sign(qa, { password: qa.password, meaning: 'Released', record: what }, at);
    const [original, sameContent, otherContent] = [
      await sign(record),
      await sign(reordered),
      await sign(changed),
    ];
    expect(sameContent.recordHash).toBe(original.recordHash);
    expect(otherContent.recordHash).not.toBe(original.recordHash);
  });

  it("uses the signer's printed name at the time of signing, not the one in their token", async () => {
    const admin = await loginAsAdmin(t.http);
    await t.http
      .patch(`/api/v1/users/${qa.id}`)
      .set(...bearer(admin))
      .send({ name: 'Yuki Sato-Tanaka' })
      .expect(200);
    const signature = await signatures.sign(qa, { password: qa.password, meaning: 'Released', record }, at);
    expect(signature.signerName).toBe('Yuki Sato-Tanaka');
  });

  it('answers 422 SIGNATURE_INVALID for a wrong password and counts it as a failed SIGNATURE', async () => {
    await expect(
      signatures.sign(qa, { password: 'not-the-password', meaning: 'Released', record }, at),
    ).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
    expect(await failureKinds(qa.id)).toEqual(['SIGNATURE']);
    const audit = await t.sql.query(
      'SELECT action, actor_id FROM audit_entries WHERE entity_id = $1 AND action LIKE $2',
      [qa.id, 'auth.%'],
    );
    expect(audit.rows).toEqual([{ action: 'auth.signature_failed', actor_id: qa.id }]);
  });

  it.each([[''], ['   ']])(
    'refuses a blank meaning %p (400 VALIDATION_FAILED) without counting a failure',
    async (meaning) => {
      await expect(
        signatures.sign(qa, { password: 'not-the-password', meaning, record }, at),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [expect.objectContaining({ field: 'meaning' })] },
      });
      expect(await failureKinds(qa.id)).toEqual([]);
    },
  );

  it('refuses a deactivated signer (401)', async () => {
    const admin = await loginAsAdmin(t.http);
    await t.http
      .patch(`/api/v1/users/${qa.id}`)
      .set(...bearer(admin))
      .send({ active: false })
      .expect(200);
    await expect(
      signatures.sign(qa, { password: qa.password, meaning: 'Released', record }, at),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  describe('authenticateOtherPerson (a witness signs with their own password)', () => {
    it('returns the witness for the right email and password, the email in any case', async () => {
      const witness = await aPerson(t.http, 'technician');
      const row = await signatures.authenticateOtherPerson(witness.email.toUpperCase(), witness.password, qa);
      expect(row).toMatchObject({ id: witness.id, name: witness.name, role: 'technician', active: true });
    });

    it('returns null for a wrong password and counts it as a failed signature of the witness, by the asker', async () => {
      const witness = await aPerson(t.http, 'technician');
      expect(await signatures.authenticateOtherPerson(witness.email, 'not-the-password', qa)).toBeNull();
      expect(await failureKinds(witness.id)).toEqual(['SIGNATURE']);
      expect(await failureKinds(qa.id)).toEqual([]);
      const audit = await t.sql.query(
        'SELECT actor_id FROM audit_entries WHERE entity_id = $1 AND action = $2',
        [witness.id, 'auth.signature_failed'],
      );
      expect(audit.rows).toEqual([{ actor_id: qa.id }]);
    });

    it('returns null for an unknown email or a deactivated witness', async () => {
      expect(await signatures.authenticateOtherPerson('nobody@cpc.test', 'whatever-password', qa)).toBeNull();
      const witness = await aPerson(t.http, 'technician');
      const admin = await loginAsAdmin(t.http);
      await t.http
        .patch(`/api/v1/users/${witness.id}`)
        .set(...bearer(admin))
        .send({ active: false })
        .expect(200);
      expect(await signatures.authenticateOtherPerson(witness.email, witness.password, qa)).toBeNull();
    });

    it('answers 429 RATE_LIMITED for a locked witness, even with the right password', async () => {
      const witness = await aPerson(t.http, 'technician');
      for (let attempt = 1; attempt <= 5; attempt++) {
        expect(await signatures.authenticateOtherPerson(witness.email, 'not-the-password', qa)).toBeNull();
      }
      await expect(
        signatures.authenticateOtherPerson(witness.email, witness.password, qa),
      ).rejects.toMatchObject({
        code: 'RATE_LIMITED',
      });
    });
  });
});
