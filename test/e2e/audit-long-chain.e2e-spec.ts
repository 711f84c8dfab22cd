import http from 'node:http';
import { AddressInfo } from 'node:net';
import { AuditRepository } from '../../src/audit/audit.repository';
import { canonicalText, chainHash, GENESIS_HASH } from '../../src/audit/canonical';
import { aUser, bearer, startAppOnPrivateDatabase, TestUser } from '../support/audit-fixtures';
import { TestApp } from '../support/test-app';

const ENTRIES = 50_000;
const INSERT_BATCH = 10_000;

/**
 * A long chain, built straight into a database of its own (hashed here exactly as audit_append() hashes),
 * walked by verify across many batches and streamed by export. How fast verify runs is measured by the
 * benchmark (bench/), not asserted here.
 */
describe('a long audit trail (own database, 50,000 entries)', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startAppOnPrivateDatabase();
    admin = await aUser(t, 'admin');
    let prevHash = GENESIS_HASH;
    const at = Date.UTC(2026, 10, 24, 9, 30);
    for (let first = 1; first <= ENTRIES; first += INSERT_BATCH) {
      const seqs: number[] = [];
      const canonicals: string[] = [];
      const prevHashes: string[] = [];
      const hashes: string[] = [];
      for (let seq = first; seq < first + INSERT_BATCH; seq++) {
        const canonical = canonicalText({
          at: at + seq * 1000,
          actorId: admin.id,
          actorRole: 'technician',
          action: 'batch.cell-count.recorded',
          entityType: 'batch',
          entityId: `00000000-0000-4000-8000-${String(seq % 5000).padStart(12, '0')}`,
          before: {
            currentPassage: 2,
            latestCount: { totalCells: 1_200_000 + seq, viabilityPct: 91.5, at: new Date(at) },
          },
          after: {
            currentPassage: 2,
            latestCount: { totalCells: 2_400_000 + seq, viabilityPct: 92.5, at: new Date(at + seq * 1000) },
          },
          reason: null,
        });
        const hash = chainHash(prevHash, canonical);
        seqs.push(seq);
        canonicals.push(canonical);
        prevHashes.push(prevHash);
        hashes.push(hash);
        prevHash = hash;
      }
      await t.sql.query(
        'INSERT INTO audit_entries (seq, canonical, prev_hash, hash) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])',
        [seqs, canonicals, prevHashes, hashes],
      );
    }
    await t.sql.query('ANALYZE audit_entries');
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  it('verifies every entry of a chain longer than one read batch', async () => {
    const response = await t.http.get('/api/v1/audit/verify').set(bearer(admin)).expect(200);
    expect(response.body).toEqual({ ok: true, checked: ENTRIES, firstBadSeq: null });
  }, 60_000);

  it('stops reading the trail when the export client goes away', async () => {
    const repository = t.app.get(AuditRepository);
    const reads = jest.spyOn(repository, 'findEntriesAfter');
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;

    const firstBytes = await new Promise<number>((resolve, reject) => {
      const request = http.get({ port, path: '/api/v1/audit/export', headers: bearer(admin) }, (response) => {
        response.once('data', (chunk: Buffer) => {
          request.destroy();
          resolve(chunk.length);
        });
      });
      request.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'ECONNRESET' ? undefined : reject(error),
      );
    });
    expect(firstBytes).toBeGreaterThan(0);
    // Give the server time to notice and to finish the read it had under way, then count.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const readsAfterDisconnect = reads.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(reads.mock.calls.length).toBe(readsAfterDisconnect);
    // 50 batches would read the whole trail; a handful is what was under way when the client left.
    expect(readsAfterDisconnect).toBeLessThan(20);
    reads.mockRestore();
  });
});
