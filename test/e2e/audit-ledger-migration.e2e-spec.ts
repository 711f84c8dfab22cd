import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../config/data-source';
import { canonicalText } from '../../src/audit/canonical';
import { ensureDatabaseExists, quoteIdentifier } from '../../src/database/ensure-database';
import { runMigrations } from '../../src/database/migrate';
import { aUser, anAuditInput, bearer, recordAudited } from '../support/audit-fixtures';
import { dropQueueKeys } from '../support/global-teardown';
import { headSignatureHolds, hex, rfcLeafHash, rfcRoot, rfcVerifyConsistency } from '../support/rfc9162';
import { startTestAppWith, TestApp } from '../support/test-app';

const LEDGER_MIGRATION = 1764000420000;
const LEGACY_ENTRIES = 37;

/**
 * The ledger's migration on a database that already holds a hash chain written by the old audit_append():
 * every old entry becomes a leaf, in its seq order, nothing is lost or re-ordered, and the app then signs,
 * proves and extends that tree.
 */
describe('audit ledger migration over an existing chain (own database)', () => {
  const name = `cpc_private_${randomBytes(6).toString('hex')}`;
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `/${name}`;
  const queuePrefix = `${process.env.QUEUE_PREFIX ?? 'cpc_test'}_${randomBytes(4).toString('hex')}`;
  const sql = new Client({ connectionString: url.toString() });
  let canonicals: string[] = [];
  let t: TestApp | undefined;

  beforeAll(async () => {
    await ensureDatabaseExists(url.toString());
    // Every migration before the ledger's, as a database deployed before it would have had.
    const earlier = readdirSync(join(__dirname, '..', '..', 'migrations'))
      .filter((file) => /^\d+-.*\.ts$/.test(file) && Number(file.split('-')[0]) < LEDGER_MIGRATION)
      .map((file) => join(__dirname, '..', '..', 'migrations', file));
    const before = new DataSource({ ...dataSourceOptions(url.toString()), migrations: earlier });
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    await before.destroy();
    await sql.connect();
    canonicals = Array.from({ length: LEGACY_ENTRIES }, (_, n) =>
      canonicalText({
        at: Date.UTC(2026, 0, 1) + n * 1000,
        actorId: null,
        actorRole: 'system',
        action: 'legacy.recorded',
        entityType: 'probe',
        entityId: `legacy-${n}`,
        before: null,
        after: { n, note: 'é' },
        reason: n % 5 === 0 ? 'a reason' : null,
      }),
    );
    for (const canonical of canonicals) await sql.query('SELECT seq FROM audit_append($1)', [canonical]);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await sql.end().catch(() => undefined);
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    await admin.end();
    await dropQueueKeys(process.env.REDIS_URL as string, queuePrefix);
  });

  it('makes the old entries the first leaves in their order, and the app signs, proves and extends them', async () => {
    const chain = (
      await sql.query<{ seq: number; hash: string }>('SELECT seq::int, hash FROM audit_entries ORDER BY seq')
    ).rows;
    expect(chain.map((row) => row.seq)).toEqual(Array.from({ length: LEGACY_ENTRIES }, (_, n) => n + 1));

    expect(await runMigrations(url.toString())).toContain('AuditLedger1764000420000');

    const leaves = (
      await sql.query<{ leaf_index: number; seq: number; hash: Buffer; chain_hash: string }>(
        `SELECT l.leaf_index::int, l.seq::int, l.hash, e.hash AS chain_hash
           FROM audit_leaves l JOIN audit_entries e ON e.seq = l.seq ORDER BY l.leaf_index`,
      )
    ).rows;
    expect(leaves.map((leaf) => [leaf.leaf_index, leaf.seq])).toEqual(chain.map((row, n) => [n, row.seq]));
    const expected = canonicals.map(rfcLeafHash);
    expect(leaves.map((leaf) => leaf.hash.toString('hex'))).toEqual(
      expected.map((hash) => hash.toString('hex')),
    );
    // The old chain's hashes stay on the old entries, as they were.
    expect(leaves.map((leaf) => leaf.chain_hash)).toEqual(chain.map((row) => row.hash));
    const state = (
      await sql.query<{ tree_size: number; root_hash: Buffer }>(
        'SELECT tree_size::int, root_hash FROM audit_ledger_state',
      )
    ).rows[0];
    expect(state.tree_size).toBe(LEGACY_ENTRIES);
    expect(state.root_hash.equals(rfcRoot(expected))).toBe(true);
    // The generated columns became plain ones, still filled from the canonical text.
    const derived = (await sql.query('SELECT entity_id, reason, after FROM audit_entries WHERE seq = 1'))
      .rows[0];
    expect(derived).toEqual({ entity_id: 'legacy-0', reason: 'a reason', after: { n: 0, note: 'é' } });

    t = await startTestAppWith({
      databaseUrl: url.toString(),
      queuePrefix,
      bootstrapAdminEmail: null,
      bootstrapAdminPassword: null,
    });
    const admin = await aUser(t, 'admin');
    const key = (await t.http.get('/api/v1/audit/public-key').set(bearer(admin)).expect(200)).body
      .publicKeyPem;
    const headAt = async (size: number) => {
      for (;;) {
        const head = (await t!.http.get('/api/v1/audit/head').set(bearer(admin)).expect(200)).body;
        if (head.treeSize >= size) return head;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const first = await headAt(LEGACY_ENTRIES);
    expect(first).toMatchObject({ treeSize: LEGACY_ENTRIES, rootHash: rfcRoot(expected).toString('hex') });
    expect(headSignatureHolds(first, key)).toBe(true);

    await recordAudited(t, admin.actor, anAuditInput('00000000-0000-4000-8000-000000000001'));
    const second = await headAt(LEGACY_ENTRIES + 1);
    const all = (
      await sql.query<{ canonical: string }>(
        'SELECT e.canonical FROM audit_leaves l JOIN audit_entries e ON e.seq = l.seq ORDER BY l.leaf_index',
      )
    ).rows.map((row) => rfcLeafHash(row.canonical));
    expect(second.rootHash).toBe(rfcRoot(all).toString('hex'));
    const proof = await t.http
      .get('/api/v1/audit/proof/consistency')
      .query({ from: LEGACY_ENTRIES, to: LEGACY_ENTRIES + 1 })
      .set(bearer(admin))
      .expect(200);
    expect(
      rfcVerifyConsistency(
        LEGACY_ENTRIES,
        LEGACY_ENTRIES + 1,
        hex(first.rootHash),
        hex(second.rootHash),
        (proof.body.proof as string[]).map(hex),
      ),
    ).toBe(true);
    const verification = await t.http.get('/api/v1/audit/verify').set(bearer(admin)).expect(200);
    expect(verification.body).toEqual({ ok: true, checked: LEGACY_ENTRIES + 1, firstBadLeafIndex: null });
  }, 60_000);
});
