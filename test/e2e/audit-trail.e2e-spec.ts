import { randomUUID } from 'node:crypto';
import { aUser, anAuditInput, bearer, recordAudited, TestUser } from '../support/audit-fixtures';
import { HeadView, headSignatureHolds, rfcLeafHash } from '../support/rfc9162';
import { startTestApp, TestApp } from '../support/test-app';

interface EntryView {
  seq: number;
  at: string;
  actorId: string | null;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  leafIndex: number | null;
  leafHash: string | null;
}

/**
 * The trail as readers see it, on the run's shared database: other test files write entries at the same
 * time, so each test reads back only what it wrote (its own entity or actor) and never assumes the chain is
 * its alone. Nothing here tampers with the ledger (see audit-ledger.e2e-spec.ts, on a database of its own).
 */
describe('audit trail: query, head, verify and export', () => {
  // A fixed clock far from "now", so time windows hold exactly the entries a test wrote.
  const START = new Date(
    Date.UTC(2001, 2, 4, 5, Math.floor(Math.random() * 60), Math.floor(Math.random() * 60), 89),
  );
  let t: TestApp;
  let admin: TestUser;
  let qa: TestUser;
  let technician: TestUser;
  let doctor: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ clock: START });
    // One after the other: they share one SQL connection.
    admin = await aUser(t, 'admin');
    qa = await aUser(t, 'qa');
    technician = await aUser(t, 'technician');
    doctor = await aUser(t, 'doctor');
  });
  afterAll(async () => {
    await t.close();
  });

  async function listAll(
    query: Record<string, string | number>,
    user: TestUser = admin,
  ): Promise<EntryView[]> {
    const response = await t.http
      .get('/api/v1/audit')
      .query({ limit: 200, ...query })
      .set(bearer(user))
      .expect(200);
    expect(response.body.nextCursor).toBeNull();
    return response.body.items as EntryView[];
  }

  /** The entries of `query` once the sequencer has given each its leaf (within about a second). */
  async function listIntegrated(query: Record<string, string | number>): Promise<EntryView[]> {
    let entries = await listAll(query);
    while (entries.some((entry) => entry.leafIndex === null)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      entries = await listAll(query);
    }
    return entries;
  }

  function exportText(query: Record<string, string> = {}) {
    return t.http
      .get('/api/v1/audit/export')
      .query(query)
      .set(bearer(admin))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
  }

  it('integrates 20 concurrent audited writes, each as one leaf, and verify accepts the ledger', async () => {
    const entityId = randomUUID();
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        recordAudited(t, technician.actor, anAuditInput(entityId, { after: { n } })),
      ),
    );
    // Until the sequencer integrates an entry its leafIndex is null.
    const entries = await listIntegrated({ entityId });
    expect(entries.map((entry) => (entry.after as { n: number }).n).sort((a, b) => a - b)).toEqual([
      ...Array(20).keys(),
    ]);
    const seqs = entries.map((entry) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(entries.map((entry) => entry.leafIndex)).size).toBe(20);
    for (const entry of entries) {
      const { body } = await t.http.get(`/api/v1/audit/entries/${entry.seq}`).set(bearer(qa)).expect(200);
      expect(entry.leafHash).toBe(rfcLeafHash(body.canonical as string).toString('hex'));
    }

    const verify = await t.http.get('/api/v1/audit/verify').set(bearer(admin)).expect(200);
    expect(verify.body).toEqual({ ok: true, checked: expect.any(Number), firstBadLeafIndex: null });
  });

  it('shows each entry as written: who, when (ISO UTC, to the ms), what, before, after, why, and seq as a number', async () => {
    const entityId = randomUUID();
    await recordAudited(
      t,
      technician.actor,
      anAuditInput(entityId, {
        action: 'batch.passage.corrected',
        before: { cells: 10 },
        after: { cells: 12 },
        reason: 'typed 10 for 12',
      }),
    );
    const [{ leafIndex, leafHash, ...entry }] = await listAll({ entityId });
    expect(leafIndex === null || Number.isInteger(leafIndex)).toBe(true);
    expect(leafHash === null || /^[0-9a-f]{64}$/.test(leafHash)).toBe(true);
    expect(entry).toEqual({
      seq: expect.any(Number),
      at: START.toISOString(),
      actorId: technician.id,
      actorRole: 'technician',
      action: 'batch.passage.corrected',
      entityType: 'batch',
      entityId,
      before: { cells: 10 },
      after: { cells: 12 },
      reason: 'typed 10 for 12',
    });
  });

  it("filters by entityId and entityType: a record's whole trail, oldest first", async () => {
    const batchId = randomUUID();
    const donorId = randomUUID();
    await recordAudited(t, technician.actor, anAuditInput(batchId, { action: 'batch.created' }));
    await recordAudited(
      t,
      technician.actor,
      anAuditInput(donorId, { entityType: 'donor', action: 'donor.registered' }),
    );
    await recordAudited(t, technician.actor, anAuditInput(batchId, { action: 'batch.isolation.recorded' }));

    const batchTrail = await listAll({ entityId: batchId });
    expect(batchTrail.map((entry) => entry.action)).toEqual(['batch.created', 'batch.isolation.recorded']);
    expect(batchTrail[0].seq).toBeLessThan(batchTrail[1].seq);
    expect(await listAll({ entityId: batchId, entityType: 'donor' })).toEqual([]);
    expect((await listAll({ entityId: donorId, entityType: 'donor' })).map((entry) => entry.action)).toEqual([
      'donor.registered',
    ]);
  });

  it('filters by actorId', async () => {
    const author = await aUser(t, 'technician');
    const other = await aUser(t, 'technician');
    const entityId = randomUUID();
    await recordAudited(t, author.actor, anAuditInput(entityId, { action: 'mine.1' }));
    await recordAudited(t, other.actor, anAuditInput(entityId, { action: 'theirs' }));
    await recordAudited(t, author.actor, anAuditInput(randomUUID(), { action: 'mine.2' }));

    const byAuthor = await listAll({ actorId: author.id }, qa);
    expect(byAuthor.map((entry) => entry.action)).toEqual(['mine.1', 'mine.2']);
    expect(byAuthor.every((entry) => entry.actorId === author.id)).toBe(true);
  });

  it('filters by time: from inclusive, to exclusive', async () => {
    const author = await aUser(t, 'technician');
    const hour = 3_600_000;
    const base = START.getTime() + 24 * hour;
    for (let n = 0; n < 4; n++) {
      t.clock!.set(new Date(base + n * hour));
      await recordAudited(t, author.actor, anAuditInput(randomUUID(), { action: `at.${n}` }));
    }
    t.clock!.set(START);
    const iso = (n: number) => new Date(base + n * hour).toISOString();

    const window = await listAll({ actorId: author.id, from: iso(1), to: iso(3) });
    expect(window.map((entry) => entry.action)).toEqual(['at.1', 'at.2']);
    expect(window.map((entry) => entry.at)).toEqual([iso(1), iso(2)]);
    expect((await listAll({ actorId: author.id, from: iso(2) })).map((entry) => entry.action)).toEqual([
      'at.2',
      'at.3',
    ]);
    // Any zone is accepted and compared as an instant.
    const tokyo = new Date(base + hour + 9 * hour).toISOString().replace('Z', '+09:00');
    expect((await listAll({ actorId: author.id, to: tokyo })).map((entry) => entry.action)).toEqual(['at.0']);
  });

  it('pages with nextCursor through every entry once, oldest first', async () => {
    const entityId = randomUUID();
    for (let n = 0; n < 7; n++)
      await recordAudited(t, technician.actor, anAuditInput(entityId, { after: { n } }));

    const pages: EntryView[][] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { entityId, limit: 3, ...(cursor ? { cursor } : {}) };
      const response = await t.http.get('/api/v1/audit').query(query).set(bearer(qa)).expect(200);
      pages.push(response.body.items);
      cursor = response.body.nextCursor;
    } while (cursor !== null);

    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    const walked = pages.flat();
    expect(walked.map((entry) => (entry.after as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(walked).toEqual(await listAll({ entityId }));
  });

  it('signs the head with Ed25519 (checked with GET /audit/public-key), and verify accepts it as a kept head', async () => {
    const { body: key } = await t.http.get('/api/v1/audit/public-key').set(bearer(qa)).expect(200);
    const { body: head } = await t.http.get('/api/v1/audit/head').set(bearer(qa)).expect(200);
    expect(head).toEqual({
      treeSize: expect.any(Number),
      rootHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      at: expect.stringMatching(/Z$/),
      signature: expect.any(String),
      keyId: key.keyId,
    });
    expect(headSignatureHolds(head as HeadView, key.publicKeyPem as string)).toBe(true);
    expect(headSignatureHolds({ ...(head as HeadView), treeSize: head.treeSize + 1 }, key.publicKeyPem)).toBe(
      false,
    );

    const verify = await t.http
      .get('/api/v1/audit/verify')
      .query({ treeSize: head.treeSize, rootHash: head.rootHash, at: head.at, signature: head.signature })
      .set(bearer(admin))
      .expect(200);
    expect(verify.body).toMatchObject({ ok: true, firstBadLeafIndex: null, headOk: true });
  });

  it('exports NDJSON (application/x-ndjson) whose lines parse and match GET /audit', async () => {
    // A window of its own on the fixed clock: the export and the list see the same entries in it.
    const from = new Date(START.getTime() + 1000 * 3_600_000 + Math.floor(Math.random() * 1000) * 60_000);
    t.clock!.set(from);
    const entityId = randomUUID();
    await recordAudited(
      t,
      technician.actor,
      anAuditInput(entityId, { action: 'one' }),
      anAuditInput(entityId, { action: 'two' }),
    );
    await recordAudited(
      t,
      admin.actor,
      anAuditInput(entityId, { action: 'three', reason: 'why "quoted"\nand a new line' }),
    );
    t.clock!.set(START);
    const window = { from: from.toISOString(), to: new Date(from.getTime() + 1).toISOString() };

    // Background jobs on the same clock may write into the window too; this test's own entries, once
    // integrated, are what the export and the list must agree on.
    const mine = await listIntegrated({ ...window, entityId });
    const response = await exportText(window).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const text = response.body as string;
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .slice(0, -1)
      .split('\n')
      .map((line) => JSON.parse(line) as EntryView);
    expect(lines.filter((entry) => entry.entityId === entityId)).toEqual(mine);
    expect(mine.map((entry) => entry.action)).toEqual(['one', 'two', 'three']);
  });

  it('exports the whole trail oldest first when no window is given', async () => {
    const entityId = randomUUID();
    await recordAudited(t, technician.actor, anAuditInput(entityId));
    const mine = await listIntegrated({ entityId });
    const response = await exportText().expect(200);
    const lines = (response.body as string)
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as EntryView);
    const seqs = lines.map((entry) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(lines.filter((entry) => entry.entityId === entityId)).toEqual(mine);
  });

  describe('access', () => {
    const routes = [
      '/api/v1/audit',
      '/api/v1/audit/entries/1',
      '/api/v1/audit/head',
      '/api/v1/audit/public-key',
      '/api/v1/audit/proof/inclusion?leafIndex=0&treeSize=1',
      '/api/v1/audit/proof/consistency?from=1&to=1',
      '/api/v1/audit/verify',
      '/api/v1/audit/export',
    ];

    it.each(routes)('refuses %s without a token (401 UNAUTHENTICATED)', async (route) => {
      const response = await t.http.get(route).expect(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it.each(routes)('refuses %s to a technician and a doctor (403 FORBIDDEN)', async (route) => {
      for (const user of [technician, doctor]) {
        const response = await t.http.get(route).set(bearer(user)).expect(403);
        expect(response.body.code).toBe('FORBIDDEN');
      }
    });

    it('lets qa read the trail and the head, but keeps verify and export for admins (403)', async () => {
      await t.http.get('/api/v1/audit').set(bearer(qa)).expect(200);
      await t.http.get('/api/v1/audit/head').set(bearer(qa)).expect(200);
      expect((await t.http.get('/api/v1/audit/verify').set(bearer(qa)).expect(403)).body.code).toBe(
        'FORBIDDEN',
      );
      expect((await t.http.get('/api/v1/audit/export').set(bearer(qa)).expect(403)).body.code).toBe(
        'FORBIDDEN',
      );
    });

    it('checks the role before the query (403, not 400, for a technician with bad parameters)', async () => {
      await t.http.get('/api/v1/audit').query({ actorId: 'nope' }).set(bearer(technician)).expect(403);
    });
  });

  describe('validation', () => {
    async function expectInvalid(
      route: string,
      query: Record<string, string | number>,
      field: string,
    ): Promise<void> {
      const response = await t.http.get(route).query(query).set(bearer(admin)).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }

    it.each([
      [{ actorId: 'not-a-uuid' }, 'actorId'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 201 }, 'limit'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2026-11-24T09:30:00' }, 'to'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ cursor: Buffer.from('["x"]').toString('base64url') }, 'cursor'],
      [{ from: '2026-11-24T00:00:00Z', to: '2026-11-23T00:00:00Z' }, 'to'],
      [{ colour: 'red' }, 'colour'],
    ])('GET /audit refuses %j (400 VALIDATION_FAILED)', async (query, field) => {
      await expectInvalid('/api/v1/audit', query, field);
    });

    const AT = '2026-11-24T09:30:00.123Z';
    const SIG = `${'A'.repeat(86)}==`;
    it.each([
      [{ treeSize: 3 }, 'rootHash'],
      [{ rootHash: 'a'.repeat(64), at: AT, signature: SIG }, 'treeSize'],
      [{ treeSize: 3, rootHash: 'a'.repeat(64), signature: SIG }, 'at'],
      [{ treeSize: 3, rootHash: 'a'.repeat(64), at: AT }, 'signature'],
      [{ treeSize: -1, rootHash: 'a'.repeat(64), at: AT, signature: SIG }, 'treeSize'],
      [{ treeSize: 'x', rootHash: 'a'.repeat(64), at: AT, signature: SIG }, 'treeSize'],
      [{ treeSize: 3, rootHash: 'xyz', at: AT, signature: SIG }, 'rootHash'],
      [{ treeSize: 3, rootHash: 'a'.repeat(64), at: 'soon', signature: SIG }, 'at'],
      [{ treeSize: 3, rootHash: 'a'.repeat(64), at: AT, signature: 'b'.repeat(64) }, 'signature'],
    ])(
      'GET /audit/verify refuses a partial or malformed kept head %j (400 VALIDATION_FAILED)',
      async (query, field) => {
        await expectInvalid('/api/v1/audit/verify', query, field);
      },
    );

    it('GET /audit/export refuses a bad window (400 VALIDATION_FAILED)', async () => {
      await expectInvalid('/api/v1/audit/export', { from: 'soon' }, 'from');
      await expectInvalid(
        '/api/v1/audit/export',
        { from: '2026-11-24T00:00:00Z', to: '2026-11-23T00:00:00Z' },
        'to',
      );
    });
  });

  it('documents the audit routes in the OpenAPI document', async () => {
    const { body } = await t.http.get('/docs-json').expect(200);
    for (const path of [
      '/api/v1/audit',
      '/api/v1/audit/entries/{seq}',
      '/api/v1/audit/head',
      '/api/v1/audit/public-key',
      '/api/v1/audit/proof/inclusion',
      '/api/v1/audit/proof/consistency',
      '/api/v1/audit/verify',
      '/api/v1/audit/export',
    ]) {
      expect(body.paths[path].get.tags).toEqual(['audit']);
      expect(Object.keys(body.paths[path].get.responses)).toEqual(
        expect.arrayContaining(['200', '401', '403']),
      );
    }
    expect(Object.keys(body.paths['/api/v1/audit/export'].get.responses['200'].content)).toEqual([
      'application/x-ndjson',
    ]);
  });
});
