import { createHmac } from 'node:crypto';
import { canonicalText, chainHash, GENESIS_HASH } from '../../src/audit/canonical';
import {
  aUser,
  anAuditInput,
  bearer,
  recordAudited,
  startAppOnPrivateDatabase,
  storedRows,
  tamperWithAuditTrail,
  TestUser,
} from '../support/audit-fixtures';
import { TestApp } from '../support/test-app';

interface Head {
  seq: number;
  hash: string;
  at: string | null;
  signature: string;
}

/**
 * What the database refuses, and what `verify` finds when someone gets past it. These tests edit and remove
 * entries behind the application's back, so they run on a database of their own (dropped at the end), where
 * every entry of the chain is theirs; each test also puts back what it changed.
 */
describe('audit trail integrity (own database, tampered with behind the application)', () => {
  const appRole = process.env.DATABASE_APP_ROLE || 'cpc_app';
  let t: TestApp;
  let admin: TestUser;
  let technician: TestUser;

  beforeAll(async () => {
    t = await startAppOnPrivateDatabase();
    admin = await aUser(t, 'admin');
    technician = await aUser(t, 'technician');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  async function head(): Promise<Head> {
    return (await t.http.get('/api/v1/audit/head').set(bearer(admin)).expect(200)).body as Head;
  }

  async function verify(anchor?: Head): Promise<Record<string, unknown>> {
    const query = anchor
      ? { anchorSeq: anchor.seq, anchorHash: anchor.hash, anchorSignature: anchor.signature }
      : {};
    return (await t.http.get('/api/v1/audit/verify').query(query).set(bearer(admin)).expect(200)).body;
  }

  async function putBack(
    rows: { seq: number; canonical: string; prev_hash: string; hash: string }[],
  ): Promise<void> {
    for (const row of rows) {
      await t.sql.query(
        'INSERT INTO audit_entries (seq, canonical, prev_hash, hash) VALUES ($1, $2, $3, $4)',
        [row.seq, row.canonical, row.prev_hash, row.hash],
      );
    }
  }

  it('signs the genesis (seq 0, 64 zeros) as the head of an empty chain, which verify accepts', async () => {
    const genesis = await head();
    expect(genesis).toEqual({
      seq: 0,
      hash: GENESIS_HASH,
      at: null,
      signature: createHmac('sha256', process.env.AUDIT_HMAC_KEY as string)
        .update(`0:${GENESIS_HASH}`)
        .digest('hex'),
    });
    expect(await verify()).toEqual({ ok: true, checked: 0, firstBadSeq: null });
    expect(await verify(genesis)).toEqual({ ok: true, checked: 0, firstBadSeq: null, anchorOk: true });
  });

  it('links 20 concurrent audited writes into a gapless linear chain from seq 1 that verify accepts', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        recordAudited(
          t,
          technician.actor,
          anAuditInput(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`),
        ),
      ),
    );
    const rows = await storedRows(t, 1);
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    rows.forEach((row, n) => expect(row.prev_hash).toBe(n === 0 ? GENESIS_HASH : rows[n - 1].hash));
    expect(await verify()).toEqual({ ok: true, checked: 20, firstBadSeq: null });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the audit trail even to a superuser (triggers)', async () => {
    await expect(
      t.sql.query("UPDATE audit_entries SET canonical = canonical || ' ' WHERE seq = 1"),
    ).rejects.toThrow('audit_entries is append-only: UPDATE refused');
    await expect(t.sql.query('DELETE FROM audit_entries WHERE seq = 20')).rejects.toThrow(
      'audit_entries is append-only: DELETE refused',
    );
    await expect(t.sql.query('TRUNCATE audit_entries')).rejects.toThrow(
      'audit_entries is append-only: TRUNCATE refused',
    );
    expect(await verify()).toEqual({ ok: true, checked: 20, firstBadSeq: null });
  });

  it('refuses UPDATE, DELETE and TRUNCATE to the application role by privilege, which may read and append', async () => {
    // In a transaction that is rolled back, so even what the role may do leaves the chain as it was.
    async function asAppRole<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      await t.sql.query('BEGIN');
      try {
        await t.sql.query(`SET LOCAL ROLE ${appRole}`);
        return (await t.sql.query(sql, params)).rows as T[];
      } finally {
        await t.sql.query('ROLLBACK');
      }
    }
    for (const sql of [
      "UPDATE audit_entries SET canonical = canonical || ' ' WHERE seq = 1",
      'DELETE FROM audit_entries WHERE seq = 20',
      'TRUNCATE audit_entries',
    ]) {
      await expect(asAppRole(sql)).rejects.toThrow('permission denied for table audit_entries');
    }
    expect(await asAppRole<{ count: number }>('SELECT count(*) FROM audit_entries')).toEqual([{ count: 20 }]);
    const canonical = canonicalText({
      at: 0,
      actorId: null,
      actorRole: 'system',
      action: 'probe',
      entityType: 'probe',
      entityId: 'x',
      before: null,
      after: null,
      reason: null,
    });
    expect(await asAppRole('SELECT seq FROM audit_append($1)', [canonical])).toEqual([{ seq: 21 }]);
    expect(await verify()).toEqual({ ok: true, checked: 20, firstBadSeq: null });
  });

  it('finds an entry whose canonical text was edited behind the application (ok false, firstBadSeq = its seq)', async () => {
    const [original] = await storedRows(t, 7);
    const edited = original.canonical.replace('"viabilityPct":92.5', '"viabilityPct":99.5');
    expect(edited).not.toBe(original.canonical);
    await tamperWithAuditTrail(t, [
      { sql: 'UPDATE audit_entries SET canonical = $1 WHERE seq = 7', params: [edited] },
    ]);
    expect(await verify()).toEqual({ ok: false, checked: 20, firstBadSeq: 7 });

    await tamperWithAuditTrail(t, [
      { sql: 'UPDATE audit_entries SET canonical = $1 WHERE seq = 7', params: [original.canonical] },
    ]);
    expect(await verify()).toEqual({ ok: true, checked: 20, firstBadSeq: null });
  });

  it('finds an entry removed from the middle of the chain (firstBadSeq = the missing seq)', async () => {
    const removed = await storedRows(t, 12);
    await tamperWithAuditTrail(t, [{ sql: 'DELETE FROM audit_entries WHERE seq = 12' }]);
    expect(await verify()).toEqual({ ok: false, checked: 19, firstBadSeq: 12 });

    await putBack(removed.slice(0, 1));
    expect(await verify()).toEqual({ ok: true, checked: 20, firstBadSeq: null });
  });

  it('finds the newest entries removed behind the application against an earlier head, though the chain alone still holds', async () => {
    const anchor = await head();
    expect(anchor.seq).toBe(20);
    const removed = await storedRows(t, 19);
    await tamperWithAuditTrail(t, [{ sql: 'DELETE FROM audit_entries WHERE seq >= 19' }]);

    expect(await verify()).toEqual({ ok: true, checked: 18, firstBadSeq: null });
    expect(await verify(anchor)).toEqual({ ok: false, checked: 18, firstBadSeq: null, anchorOk: false });

    await putBack(removed);
    expect(await verify(anchor)).toEqual({ ok: true, checked: 20, firstBadSeq: null, anchorOk: true });
  });

  it('finds, against an earlier head, a tail rewritten with fresh hashes that chain correctly', async () => {
    const anchor = await head();
    const [original] = await storedRows(t, 20);
    const forged = original.canonical.replace('"viabilityPct":92.5', '"viabilityPct":99.5');
    await tamperWithAuditTrail(t, [
      {
        sql: 'UPDATE audit_entries SET canonical = $1, hash = $2 WHERE seq = 20',
        params: [forged, chainHash(original.prev_hash, forged)],
      },
    ]);

    expect(await verify()).toEqual({ ok: true, checked: 20, firstBadSeq: null });
    expect(await verify(anchor)).toEqual({ ok: false, checked: 20, firstBadSeq: null, anchorOk: false });

    await tamperWithAuditTrail(t, [
      {
        sql: 'UPDATE audit_entries SET canonical = $1, hash = $2 WHERE seq = 20',
        params: [original.canonical, original.hash],
      },
    ]);
    expect(await verify(anchor)).toEqual({ ok: true, checked: 20, firstBadSeq: null, anchorOk: true });
  });

  it('refuses an anchor whose signature is not ours (anchorOk false, ok false)', async () => {
    const anchor = await head();
    const [earlier] = await storedRows(t, 10);
    const flip = (hex: string) => hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');
    const forgeries: Head[] = [
      { ...anchor, signature: flip(anchor.signature) },
      {
        ...anchor,
        signature: createHmac('sha256', 'someone-elses-key-of-32-characters!')
          .update(`${anchor.seq}:${anchor.hash}`)
          .digest('hex'),
      },
      // A real signature moved to another entry that is in the chain.
      { ...anchor, seq: earlier.seq, hash: earlier.hash },
    ];
    for (const forged of forgeries) {
      expect(await verify(forged)).toEqual({ ok: false, checked: 20, firstBadSeq: null, anchorOk: false });
    }
  });

  it('accepts an earlier anchor while the chain has grown past it', async () => {
    const anchor = await head();
    await recordAudited(t, technician.actor, anAuditInput('00000000-0000-4000-8000-000000000099'));
    expect(await verify(anchor)).toEqual({ ok: true, checked: 21, firstBadSeq: null, anchorOk: true });
  });
});
