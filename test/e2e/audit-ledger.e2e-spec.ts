import { AuditSequencer } from '../../src/audit/ledger/sequencer.service';
import {
  aUser,
  anAuditInput,
  bearer,
  recordAudited,
  startAppOnPrivateDatabase,
  TestUser,
} from '../support/audit-fixtures';
import {
  HeadView,
  headSignatureHolds,
  hex,
  rfcLeafHash,
  rfcRoot,
  rfcVerifyConsistency,
  rfcVerifyInclusion,
} from '../support/rfc9162';
import { aPrivateDatabase, PrivateDatabase, startTestAppWith, TestApp } from '../support/test-app';

interface Verification {
  ok: boolean;
  checked: number;
  firstBadLeafIndex: number | null;
  headOk?: boolean;
}

const LEDGER_TABLES = ['audit_entries', 'audit_leaves', 'audit_tree_nodes', 'audit_tree_heads'];

/**
 * The audit ledger (RFC 9162) end to end, on a database of its own: concurrent writers integrated exactly
 * once, heads checked with the published key, proofs checked by an independent verifier written from the
 * RFC (test/support/rfc9162.ts), tampering found, the application role kept to its rights, and the
 * sequencer taken over when its holder dies.
 */
describe('audit ledger (own database)', () => {
  const appRole = process.env.DATABASE_APP_ROLE || 'cpc_app';
  let t: TestApp;
  let admin: TestUser;
  let qa: TestUser;
  let technician: TestUser;
  let publicKeyPem: string;

  beforeAll(async () => {
    t = await startAppOnPrivateDatabase();
    admin = await aUser(t, 'admin');
    qa = await aUser(t, 'qa');
    technician = await aUser(t, 'technician');
    const key = await t.http.get('/api/v1/audit/public-key').set(bearer(qa)).expect(200);
    publicKeyPem = key.body.publicKeyPem as string;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  async function head(app: TestApp = t): Promise<HeadView> {
    return (await app.http.get('/api/v1/audit/head').set(bearer(admin)).expect(200)).body as HeadView;
  }

  /** Waits (within the test's timeout) until the signed head covers every entry written so far. */
  async function integrated(app: TestApp = t): Promise<HeadView> {
    const { rows } = await app.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries');
    for (;;) {
      const current = await head(app);
      if (current.treeSize >= rows[0].n) return current;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function verify(query: Record<string, unknown> = {}): Promise<Verification> {
    return (await t.http.get('/api/v1/audit/verify').query(query).set(bearer(admin)).expect(200))
      .body as Verification;
  }

  /** Leaf hashes recomputed here from the canonical texts, in leaf order. */
  async function leafHashesFromEntries(): Promise<Buffer[]> {
    const { rows } = await t.sql.query<{ canonical: string }>(
      'SELECT e.canonical FROM audit_leaves l JOIN audit_entries e ON e.seq = l.seq ORDER BY l.leaf_index',
    );
    return rows.map((row) => rfcLeafHash(row.canonical));
  }

  /** As the database owner would, behind the application: triggers off, one transaction, triggers on. */
  async function tamper(...statements: string[]): Promise<void> {
    await t.sql.query('BEGIN');
    try {
      for (const table of LEDGER_TABLES) await t.sql.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
      for (const statement of statements) await t.sql.query(statement);
      for (const table of LEDGER_TABLES) await t.sql.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
      await t.sql.query('COMMIT');
    } catch (error) {
      await t.sql.query('ROLLBACK');
      throw error;
    }
  }

  function writes(count: number, prefix: number): Promise<void>[] {
    return Array.from({ length: count }, (_, n) =>
      recordAudited(
        t,
        technician.actor,
        anAuditInput(`00000000-0000-4000-8000-${String(prefix * 1000 + n).padStart(12, '0')}`),
      ),
    );
  }

  it('answers a signed empty head before anything is written: size 0, root SHA-256 of nothing', async () => {
    const empty = await head();
    expect(empty).toMatchObject({ treeSize: 0, rootHash: rfcRoot([]).toString('hex') });
    expect(headSignatureHolds(empty, publicKeyPem)).toBe(true);
    expect(await verify()).toEqual({ ok: true, checked: 0, firstBadLeafIndex: null });
  });

  it('integrates 300 concurrent audited writes exactly once, leafIndex contiguous from 0', async () => {
    await Promise.all(writes(300, 1));
    const signed = await integrated();
    const { rows } = await t.sql.query<{ seq: number; leaf_index: number | null }>(
      'SELECT e.seq::int AS seq, l.leaf_index::int AS leaf_index FROM audit_entries e LEFT JOIN audit_leaves l ON l.seq = e.seq',
    );
    expect(rows).toHaveLength(300);
    expect(rows.every((row) => row.leaf_index !== null)).toBe(true);
    expect(rows.map((row) => row.leaf_index).sort((a, b) => a! - b!)).toEqual(
      Array.from({ length: 300 }, (_, n) => n),
    );
    expect(signed.treeSize).toBe(300);
    expect(headSignatureHolds(signed, publicKeyPem)).toBe(true);
    expect(signed.rootHash).toBe(rfcRoot(await leafHashesFromEntries()).toString('hex'));
    expect(await verify()).toEqual({ ok: true, checked: 300, firstBadLeafIndex: null });
  }, 60_000);

  it('shows each entry with its leafIndex and leafHash, and its canonical text at /audit/entries/:seq', async () => {
    const page = await t.http.get('/api/v1/audit').query({ limit: 1 }).set(bearer(qa)).expect(200);
    const [entry] = page.body.items as { seq: number; leafIndex: number; leafHash: string }[];
    const detail = await t.http.get(`/api/v1/audit/entries/${entry.seq}`).set(bearer(qa)).expect(200);
    expect(detail.body).toMatchObject({ ...entry, canonical: expect.any(String) });
    expect(detail.body.leafHash).toBe(rfcLeafHash(detail.body.canonical as string).toString('hex'));
    await t.http.get('/api/v1/audit/entries/999999').set(bearer(qa)).expect(404);
    const bad = await t.http.get('/api/v1/audit/entries/x').set(bearer(qa)).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('proves every leaf included in trees of several sizes, checked by the RFC 9162 algorithm', async () => {
    const leaves = await leafHashesFromEntries();
    for (const treeSize of [1, 2, 3, 7, 8, 9, 64, 100, 255, 256, 257, 300]) {
      const root = rfcRoot(leaves.slice(0, treeSize));
      for (let leafIndex = 0; leafIndex < treeSize; leafIndex += treeSize > 64 ? 7 : 1) {
        const proof = await t.http
          .get('/api/v1/audit/proof/inclusion')
          .query({ leafIndex, treeSize })
          .set(bearer(qa))
          .expect(200);
        expect(proof.body.leafHash).toBe(leaves[leafIndex].toString('hex'));
        const path = (proof.body.auditPath as string[]).map(hex);
        expect(rfcVerifyInclusion(leafIndex, treeSize, leaves[leafIndex], path, root)).toBe(true);
        // The same path does not prove another leaf.
        if (treeSize > 1) {
          const other = leaves[(leafIndex + 1) % treeSize];
          expect(rfcVerifyInclusion(leafIndex, treeSize, other, path, root)).toBe(false);
        }
      }
    }
  }, 120_000);

  it('proves every pair of sizes consistent, checked by the RFC 9162 algorithm', async () => {
    const leaves = await leafHashesFromEntries();
    const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 64, 100, 127, 128, 129, 255, 256, 257, 299, 300];
    for (const from of sizes) {
      for (const to of sizes.filter((size) => size >= from)) {
        const response = await t.http
          .get('/api/v1/audit/proof/consistency')
          .query({ from, to })
          .set(bearer(qa))
          .expect(200);
        const proof = (response.body.proof as string[]).map(hex);
        const fromRoot = rfcRoot(leaves.slice(0, from));
        const toRoot = rfcRoot(leaves.slice(0, to));
        if (from === to) expect(proof).toEqual([]);
        else {
          expect(rfcVerifyConsistency(from, to, fromRoot, toRoot, proof)).toBe(true);
          // A root the earlier tree never had fails.
          expect(rfcVerifyConsistency(from, to, rfcLeafHash('forged'), toRoot, proof)).toBe(false);
        }
      }
    }
  }, 120_000);

  it('refuses proofs outside the signed tree (400 VALIDATION_FAILED)', async () => {
    const { treeSize } = await head();
    for (const [path, query, field] of [
      ['inclusion', { leafIndex: 0, treeSize: treeSize + 1 }, 'treeSize'],
      ['inclusion', { leafIndex: 5, treeSize: 5 }, 'leafIndex'],
      ['inclusion', { leafIndex: -1, treeSize: 5 }, 'leafIndex'],
      ['inclusion', { treeSize: 5 }, 'leafIndex'],
      ['inclusion', { leafIndex: 0, treeSize: 0 }, 'treeSize'],
      ['consistency', { from: 1, to: treeSize + 1 }, 'to'],
      ['consistency', { from: 5, to: 4 }, 'from'],
      ['consistency', { from: 0, to: 4 }, 'from'],
    ] as const) {
      const response = await t.http
        .get(`/api/v1/audit/proof/${path}`)
        .query(query)
        .set(bearer(qa))
        .expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(response.body.details)).toContain(field);
    }
    await t.http
      .get('/api/v1/audit/proof/inclusion')
      .query({ leafIndex: 0, treeSize: 1 })
      .set(bearer(technician))
      .expect(403);
  });

  it('accepts a kept head while the tree has grown past it, and refuses one not signed by our key', async () => {
    const kept = await head();
    await Promise.all(writes(5, 2));
    await integrated();
    const query = {
      treeSize: kept.treeSize,
      rootHash: kept.rootHash,
      at: kept.at,
      signature: kept.signature,
    };
    expect(await verify(query)).toMatchObject({ ok: true, headOk: true });
    const forged = { ...query, signature: Buffer.alloc(64, 7).toString('base64') };
    expect(await verify(forged)).toMatchObject({ ok: false, headOk: false });
    const otherRoot = { ...query, rootHash: '0'.repeat(64) };
    expect(await verify(otherRoot)).toMatchObject({ ok: false, headOk: false });
    const half = await t.http
      .get('/api/v1/audit/verify')
      .query({ treeSize: kept.treeSize })
      .set(bearer(admin))
      .expect(400);
    expect(half.body.code).toBe('VALIDATION_FAILED');
  }, 30_000);

  it('finds an entry edited behind the application (firstBadLeafIndex = its leaf)', async () => {
    const { rows } = await t.sql.query<{ seq: number; canonical: string }>(
      'SELECT e.seq::int AS seq, e.canonical FROM audit_entries e JOIN audit_leaves l ON l.seq = e.seq WHERE l.leaf_index = 42',
    );
    const [{ seq, canonical }] = rows;
    await tamper(
      `UPDATE audit_entries SET canonical = replace(canonical, '92.5', '99.5') WHERE seq = ${seq}`,
    );
    expect(await verify()).toMatchObject({ ok: false, firstBadLeafIndex: 42 });
    await t.sql.query('BEGIN');
    await t.sql.query('ALTER TABLE audit_entries DISABLE TRIGGER USER');
    await t.sql.query('UPDATE audit_entries SET canonical = $1 WHERE seq = $2', [canonical, seq]);
    await t.sql.query('ALTER TABLE audit_entries ENABLE TRIGGER USER');
    await t.sql.query('COMMIT');
    expect(await verify()).toMatchObject({ ok: true, firstBadLeafIndex: null });
  });

  it('finds a leaf hash, an inner node and a head edited behind the application', async () => {
    const cases: { edit: string; undo: string; expected: Partial<Verification> }[] = [
      {
        edit: `UPDATE audit_leaves SET hash = sha256(hash) WHERE leaf_index = 17`,
        undo: `UPDATE audit_leaves l SET hash = sha256('\\x00'::bytea || convert_to(e.canonical, 'UTF8')) FROM audit_entries e WHERE e.seq = l.seq AND l.leaf_index = 17`,
        expected: { ok: false, firstBadLeafIndex: 17 },
      },
      {
        // The node over leaves 64..127.
        edit: `UPDATE audit_tree_nodes SET hash = sha256(hash) WHERE level = 6 AND idx = 1`,
        undo: `UPDATE audit_tree_nodes n SET hash = sha256('\\x01'::bytea || a.hash || b.hash) FROM audit_tree_nodes a, audit_tree_nodes b WHERE n.level = 6 AND n.idx = 1 AND a.level = 5 AND a.idx = 2 AND b.level = 5 AND b.idx = 3`,
        expected: { ok: false, firstBadLeafIndex: 64 },
      },
    ];
    for (const { edit, undo, expected } of cases) {
      await tamper(edit);
      expect(await verify()).toMatchObject(expected);
      await tamper(undo);
      expect(await verify()).toMatchObject({ ok: true });
    }
    const { rows } = await t.sql.query<{ tree_size: number; root_hash: Buffer; signature: string }>(
      'SELECT tree_size::int, root_hash, signature FROM audit_tree_heads ORDER BY tree_size LIMIT 1 OFFSET 1',
    );
    const [stored] = rows;
    await tamper(
      `UPDATE audit_tree_heads SET root_hash = sha256(root_hash) WHERE tree_size = ${stored.tree_size}`,
    );
    expect(await verify()).toMatchObject({ ok: false });
    await tamper(
      `UPDATE audit_tree_heads SET root_hash = '\\x${stored.root_hash.toString('hex')}', signature = '${Buffer.alloc(64).toString('base64')}' WHERE tree_size = ${stored.tree_size}`,
    );
    expect(await verify()).toMatchObject({ ok: false });
    await tamper(
      `UPDATE audit_tree_heads SET signature = '${stored.signature}' WHERE tree_size = ${stored.tree_size}`,
    );
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("keeps the application role to reading and inserting entries and calling the sequencer's functions", async () => {
    async function asAppRole(sql: string): Promise<unknown> {
      await t.sql.query('BEGIN');
      try {
        await t.sql.query(`SET LOCAL ROLE ${appRole}`);
        return (await t.sql.query(sql)).rows;
      } finally {
        await t.sql.query('ROLLBACK');
      }
    }
    for (const [sql, message] of [
      ["UPDATE audit_entries SET canonical = canonical || ' '", 'permission denied for table audit_entries'],
      ['DELETE FROM audit_entries', 'permission denied for table audit_entries'],
      ["INSERT INTO audit_leaves VALUES (100000, 1, '\\x00')", 'permission denied for table audit_leaves'],
      ['DELETE FROM audit_tree_nodes', 'permission denied for table audit_tree_nodes'],
      [
        "INSERT INTO audit_tree_heads VALUES (100000, '\\x00', now(), 'x', 'y')",
        'permission denied for table audit_tree_heads',
      ],
      ['UPDATE audit_ledger_state SET tree_size = 0', 'permission denied for table audit_ledger_state'],
      ['SELECT audit_grow_tree(0, 1)', 'permission denied for function audit_grow_tree'],
      ['SELECT audit_root(1)', 'permission denied for function audit_root'],
      // Another session than the sequencer's: the function refuses it.
      ['SELECT * FROM audit_integrate(10)', 'another session is the audit sequencer'],
      ["SELECT audit_record_head(1, '\\x00', now(), 'x', 'y')", 'another session is the audit sequencer'],
    ] as const) {
      await expect(asAppRole(sql)).rejects.toThrow(message);
    }
    await expect(asAppRole('SELECT count(*) FROM audit_tree_nodes')).resolves.toBeDefined();
    await expect(
      asAppRole(`INSERT INTO audit_entries (canonical) VALUES ('{"at":0,"action":"probe"}') RETURNING seq`),
    ).resolves.toHaveLength(1);
    // Even the owner cannot change the entries or the tree's tables in place (triggers).
    await expect(t.sql.query("UPDATE audit_entries SET canonical = canonical || ' '")).rejects.toThrow(
      'audit_entries is append-only: UPDATE refused',
    );
    await expect(t.sql.query('DELETE FROM audit_entries')).rejects.toThrow(
      'audit_entries is append-only: DELETE refused',
    );
    await expect(t.sql.query('TRUNCATE audit_entries CASCADE')).rejects.toThrow(
      'append-only: TRUNCATE refused',
    );
    await expect(t.sql.query('DELETE FROM audit_leaves')).rejects.toThrow(
      'audit_leaves is append-only: DELETE refused',
    );
    await expect(t.sql.query('UPDATE audit_tree_nodes SET hash = hash')).rejects.toThrow(
      'audit_tree_nodes is append-only: UPDATE refused',
    );
    await expect(t.sql.query('TRUNCATE audit_tree_heads')).rejects.toThrow(
      'audit_tree_heads is append-only: TRUNCATE refused',
    );
  });
  it('finds, against a kept head, the newest leaves removed with their nodes and heads', async () => {
    const kept = await head();
    const query = {
      treeSize: kept.treeSize,
      rootHash: kept.rootHash,
      at: kept.at,
      signature: kept.signature,
    };
    const tail = kept.treeSize - 3;
    await t.app.get(AuditSequencer).onModuleDestroy();
    const saved = {
      leaves: (await t.sql.query('SELECT * FROM audit_leaves WHERE leaf_index >= $1', [tail])).rows,
      nodes: (await t.sql.query('SELECT * FROM audit_tree_nodes WHERE ((idx + 1) << level) > $1', [tail]))
        .rows,
      heads: (await t.sql.query('SELECT * FROM audit_tree_heads WHERE tree_size > $1', [tail])).rows,
      state: (await t.sql.query('SELECT * FROM audit_ledger_state')).rows[0],
    };
    // Remove the last three leaves and every node and head over them, as if they had never been.
    await tamper(
      `DELETE FROM audit_leaves WHERE leaf_index >= ${tail}`,
      `DELETE FROM audit_tree_nodes WHERE ((idx + 1) << level) > ${tail}`,
      `DELETE FROM audit_tree_heads WHERE tree_size > ${tail}`,
    );
    // The ledger alone still holds (up to its newest remaining head): only the kept head shows what is gone.
    const alone = await verify();
    expect(alone).toMatchObject({ ok: true, firstBadLeafIndex: null });
    expect(alone.checked).toBeLessThanOrEqual(tail);
    expect(await verify(query)).toMatchObject({ ok: false, headOk: false });

    for (const row of saved.leaves)
      await t.sql.query('INSERT INTO audit_leaves VALUES ($1, $2, $3)', [row.leaf_index, row.seq, row.hash]);
    for (const row of saved.nodes)
      await t.sql.query('INSERT INTO audit_tree_nodes VALUES ($1, $2, $3)', [row.level, row.idx, row.hash]);
    for (const row of saved.heads)
      await t.sql.query('INSERT INTO audit_tree_heads VALUES ($1, $2, $3, $4, $5)', [
        row.tree_size,
        row.root_hash,
        row.at,
        row.signature,
        row.key_id,
      ]);
    expect(saved.state).toBeDefined();
    expect(await verify(query)).toMatchObject({ ok: true, headOk: true });
  }, 30_000);
});

describe('audit sequencer takeover (own database, two processes)', () => {
  let first: TestApp;
  let second: TestApp;
  let technician: TestUser;
  let admin: TestUser;

  const lockHolders = async (): Promise<number[]> =>
    (
      await first.sql.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND ((classid::bigint << 32) | objid::bigint) = 7310420003`,
      )
    ).rows.map((row) => row.pid);

  let database: PrivateDatabase;

  beforeAll(async () => {
    database = await aPrivateDatabase();
    const settings = { ...database.settings, bootstrapAdminEmail: null, bootstrapAdminPassword: null };
    first = await startTestAppWith(settings);
    second = await startTestAppWith(settings);
    technician = await aUser(first, 'technician');
    admin = await aUser(first, 'admin');
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await database?.drop();
  });

  async function treeSize(app: TestApp): Promise<number> {
    return (await app.http.get('/api/v1/audit/head').set(bearer(admin)).expect(200)).body.treeSize as number;
  }

  async function waitFor(condition: () => Promise<boolean>): Promise<void> {
    while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('has exactly one sequencer while two processes run, and another takes over when its session dies', async () => {
    await waitFor(async () => (await lockHolders()).length === 1);
    const sequencers = [first, second].map((app) => app.app.get(AuditSequencer));
    await waitFor(async () => sequencers.filter((s) => s.leading).length === 1);
    const leaderIndex = sequencers.findIndex((s) => s.leading);
    const [holder] = await lockHolders();

    await recordAudited(first, technician.actor, anAuditInput('00000000-0000-4000-8000-000000000001'));
    await waitFor(async () => (await treeSize(first)) === 1);

    // The leader's session dies (as when its process is killed), and the leader stays gone.
    await first.sql.query('SELECT pg_terminate_backend($1)', [holder]);
    await sequencers[leaderIndex].onModuleDestroy();
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        recordAudited(
          first,
          technician.actor,
          anAuditInput(`00000000-0000-4000-8000-${String(n + 2).padStart(12, '0')}`),
        ),
      ),
    );
    await waitFor(async () => (await treeSize(first)) === 21);
    expect(sequencers[1 - leaderIndex].leading).toBe(true);
    const holders = await lockHolders();
    expect(holders).toHaveLength(1);
    expect(holders[0]).not.toBe(holder);
    const { rows } = await first.sql.query<{ n: number; distinct_seq: number; max: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq, max(leaf_index)::int AS max FROM audit_leaves',
    );
    expect(rows[0]).toEqual({ n: 21, distinct_seq: 21, max: 20 });
    const verification = await first.http.get('/api/v1/audit/verify').set(bearer(admin)).expect(200);
    expect(verification.body).toEqual({ ok: true, checked: 21, firstBadLeafIndex: null });
  }, 60_000);
});
