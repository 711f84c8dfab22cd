import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { appConfig, AppConfig } from '../../../config/app.config';
import { Clock } from '../../common/clock/clock';
import { ADVISORY_LOCKS } from '../../common/locks/advisory-locks';
import { runsJobs } from '../../jobs/job-names';
import { HeadSigner } from './head-signer';

/** The key of migrations/1764000420000-audit-ledger.ts's SEQUENCER_LOCK: audit_integrate() checks it. */
const SEQUENCER_LOCK = ADVISORY_LOCKS.auditSequencer;

interface IntegrateRow {
  tree_size: string;
  root_hash: Buffer;
  integrated: number;
  head_size: string | null;
}

/**
 * The audit ledger's sequencer (worker and all-in-one processes). However many processes run, one at a time
 * is the sequencer: the one whose dedicated session holds a PostgreSQL advisory lock. When that process dies
 * its session ends, the lock goes with it, and another process's next tick takes it over.
 *
 * Each tick integrates committed entries in batches, one transaction per batch (audit_integrate(): leaves,
 * nodes, state), and signs the new head in that same transaction, so a crash between batches loses and
 * repeats nothing: an uncommitted batch is simply integrated again by whoever holds the lock next.
 */
@Injectable()
export class AuditSequencer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AuditSequencer');
  private client: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly signer: HeadSigner,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsJobs(this.env.appRole)) return;
    this.timer = setInterval(() => void this.wake(), this.env.auditSequencer.intervalMs);
    this.timer.unref();
    void this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.release();
  }

  /** True while this process is the sequencer (for tests and metrics). */
  get leading(): boolean {
    return this.client !== null;
  }

  /** One tick, unless one is under way; never rejects (it runs from a timer). */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.tick()
      .catch((error: Error) => {
        this.logger.warn(`audit sequencer: ${error.message}; giving up the lead until the next tick`);
        return this.release();
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async tick(): Promise<void> {
    const client = this.client ?? (await this.lead());
    if (!client) return;
    while (!this.stopped) {
      const integrated = await this.integrateBatch(client);
      if (integrated < this.env.auditSequencer.batchSize) return;
    }
  }

  /** Opens a session and tries for the lock; keeps the session only if it got it. */
  private async lead(): Promise<Client | null> {
    const client = new Client({
      connectionString: this.env.databaseUrl,
      connectionTimeoutMillis: this.env.databaseAcquireTimeoutMs,
      keepAlive: true,
      statement_timeout: this.env.databaseStatementTimeoutMs,
      // The application role: the sequencer integrates through audit_integrate() like any other caller.
      options: `-c role=${this.env.databaseAppRole}`,
    });
    client.on('error', () => {
      if (this.client === client) this.client = null;
    });
    await client.connect();
    const rows = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      SEQUENCER_LOCK,
    ]);
    if (!rows.rows[0].locked || this.stopped) {
      await client.end().catch(() => undefined);
      return null;
    }
    this.logger.log('this process is now the audit sequencer');
    this.client = client;
    return client;
  }

  private async integrateBatch(client: Client): Promise<number> {
    await client.query('BEGIN');
    try {
      const result = await client.query<IntegrateRow>('SELECT * FROM audit_integrate($1)', [
        this.env.auditSequencer.batchSize,
      ]);
      const row = result.rows[0];
      const treeSize = Number(row.tree_size);
      if (row.head_size === null || Number(row.head_size) < treeSize) {
        const rootHash = row.root_hash.toString('hex');
        const at = this.clock.now().toISOString();
        await client.query('SELECT audit_record_head($1, $2, $3, $4, $5)', [
          treeSize,
          row.root_hash,
          at,
          this.signer.sign(treeSize, rootHash, at),
          this.signer.keyId,
        ]);
      }
      await client.query('COMMIT');
      return row.integrated;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }
}
