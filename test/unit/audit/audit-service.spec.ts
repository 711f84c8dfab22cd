import { Writable } from 'node:stream';
import { AppConfig } from '../../../config/app.config';
import { AuditEntryFilter, AuditRepository, StoredAuditEntry } from '../../../src/audit/audit.repository';
import { AuditService } from '../../../src/audit/audit.service';
import { canonicalText, chainHash, GENESIS_HASH } from '../../../src/audit/canonical';
import { signAnchor } from '../../../src/audit/domain/anchor';
import { DomainError } from '../../../src/common/errors/domain-error';

const KEY = 'audit-key-'.repeat(4);

/** A trail of `size` valid entries served the way the repository serves it, counting the reads. */
class FakeTrail {
  readonly reads: { filter: AuditEntryFilter; afterSeq: number; limit: number }[] = [];
  private readonly rows: StoredAuditEntry[] = [];

  constructor(size: number) {
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= size; seq++) {
      const canonical = canonicalText({
        at: Date.UTC(2026, 10, 24) + seq,
        actorId: null,
        actorRole: 'system',
        action: 'probe',
        entityType: 'probe',
        entityId: String(seq),
        before: null,
        after: { seq },
        reason: null,
      });
      const hash = chainHash(prevHash, canonical);
      this.rows.push({ seq, canonical, prevHash, hash });
      prevHash = hash;
    }
  }

  async findEntriesAfter(
    filter: AuditEntryFilter,
    afterSeq: number,
    limit: number,
  ): Promise<StoredAuditEntry[]> {
    this.reads.push({ filter, afterSeq, limit });
    const upTo = filter.upToSeq ?? Infinity;
    return this.rows.filter((row) => row.seq > afterSeq && row.seq <= upTo).slice(0, limit);
  }

  async findHead(): Promise<StoredAuditEntry | null> {
    return this.rows[this.rows.length - 1] ?? null;
  }

  async findHashAt(seq: number): Promise<string | null> {
    return this.rows[seq - 1]?.hash ?? null;
  }
}

function serviceOver(trail: FakeTrail): AuditService {
  return new AuditService(trail as unknown as AuditRepository, { auditHmacKey: KEY } as AppConfig);
}

describe('audit service', () => {
  it('signs the genesis as the head of an empty trail', async () => {
    expect(await serviceOver(new FakeTrail(0)).head()).toEqual({
      seq: 0,
      hash: GENESIS_HASH,
      at: null,
      signature: signAnchor(KEY, 0, GENESIS_HASH),
    });
  });

  it('verifies in batches of 10,000, never more than the head it started from', async () => {
    const trail = new FakeTrail(25_000);
    expect(await serviceOver(trail).verify()).toEqual({ ok: true, checked: 25_000, firstBadSeq: null });
    expect(trail.reads.map((read) => [read.afterSeq, read.limit, read.filter.upToSeq])).toEqual([
      [0, 10_000, 25_000],
      [10_000, 10_000, 25_000],
      [20_000, 10_000, 25_000],
    ]);
  });

  it('refuses a cursor that does not name a seq (VALIDATION_FAILED)', async () => {
    const service = serviceOver(new FakeTrail(3));
    const cursor = Buffer.from(JSON.stringify(['3'])).toString('base64url');
    await expect(service.list({ limit: 10, cursor })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      service.list({ limit: 10, cursor: Buffer.from('[-1]').toString('base64url') }),
    ).rejects.toBeInstanceOf(DomainError);
  });

  describe('NDJSON export', () => {
    it('writes one entry view a line, oldest first', async () => {
      const stream = await serviceOver(new FakeTrail(2_500)).exportNdjson({});
      let text = '';
      for await (const chunk of stream) text += String(chunk);
      const lines = text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { seq: number; at: string });
      expect(lines).toHaveLength(2_500);
      expect(lines.map((line) => line.seq)).toEqual(Array.from({ length: 2_500 }, (_, n) => n + 1));
      expect(lines[0].at).toBe('2026-11-24T00:00:00.001Z');
    });

    it('reads the next batch only when the client has taken the last one (backpressure)', async () => {
      const trail = new FakeTrail(50_000);
      const stream = await serviceOver(trail).exportNdjson({});
      const readsBefore = trail.reads.length;
      // A client that never finishes taking its first chunk.
      const stuck = new Writable({ highWaterMark: 1024, write: () => undefined });
      stream.pipe(stuck);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(trail.reads.length - readsBefore).toBeLessThanOrEqual(2);
      stream.destroy();
    });

    it('stops reading when the stream is destroyed (the client went away)', async () => {
      const trail = new FakeTrail(50_000);
      const stream = await serviceOver(trail).exportNdjson({});
      await new Promise<void>((resolve) => stream.once('data', () => resolve()));
      stream.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const reads = trail.reads.length;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(trail.reads.length).toBe(reads);
      expect(reads).toBeLessThan(10);
    });
  });
});
