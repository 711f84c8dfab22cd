import http from 'node:http';
import { AddressInfo } from 'node:net';
import { AuditRepository } from '../../src/audit/audit.repository';
import { canonicalText } from '../../src/audit/canonical';
import { aUser, bearer, startAppOnPrivateDatabase, TestUser } from '../support/audit-fixtures';
import { TestApp } from '../support/test-app';

const ENTRIES = 50_000;
const INSERT_BATCH = 10_000;

/**
 * A long trail, inserted straight into a database of its own and integrated by the sequencer in several
 * batches, walked by verify across many read batches and streamed by export. How fast verify runs is
 * measured by the benchmark (bench/), not asserted here.
 */
describe('a long audit trail (own database, 50,000 entries)', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startAppOnPrivateDatabase();
    admin = await aUser(t, 'admin');
    const at = Date.UTC(2026, 10, 24, 9, 30);
    for (let first = 1; first <= ENTRIES; first += INSERT_BATCH) {
      const canonicals: string[] = [];
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
        canonicals.push(canonical);
      }
      await t.sql.query('INSERT INTO audit_entries (canonical) SELECT unnest($1::text[])', [canonicals]);
    }
    await t.sql.query('ANALYZE audit_entries');
    // The sequencer takes them in batches (AUDIT_SEQUENCER_BATCH); wait until the signed head covers all.
    for (;;) {
      const head = await t.http.get('/api/v1/audit/head').set(bearer(admin)).expect(200);
      if (head.body.treeSize === ENTRIES) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  it('verifies every leaf of a ledger longer than one read batch', async () => {
    const response = await t.http.get('/api/v1/audit/verify').set(bearer(admin)).expect(200);
    expect(response.body).toEqual({ ok: true, checked: ENTRIES, firstBadLeafIndex: null });
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
