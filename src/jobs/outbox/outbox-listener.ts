import { Logger } from '@nestjs/common';
import { Client } from 'pg';

/** The channel the outbox trigger notifies (migration 1764000030000). */
export const OUTBOX_CHANNEL = 'outbox_events';

/**
 * A dedicated PostgreSQL connection that LISTENs for committed outbox events. LISTEN needs a session of its
 * own (a pooled connection goes back to the pool), and it must come back after a database restart; until it
 * does, the relay's poll keeps events moving. Each (re)connection calls `onWake`, since notifications sent
 * while it was away are lost.
 */
export class OutboxListener {
  private readonly logger = new Logger('OutboxListener');
  private client: Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempt = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly onWake: () => void,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => undefined);
  }

  /** Never rejects: it runs from timers, where a rejection would go unhandled. */
  private async connect(): Promise<void> {
    if (this.stopped) return;
    let client: Client | null = null;
    try {
      const listening = new Client({
        connectionString: this.databaseUrl,
        connectionTimeoutMillis: 5000,
        keepAlive: true,
      });
      client = listening;
      listening.on('notification', () => this.onWake());
      listening.on('error', (error: Error) => this.lost(listening, error));
      listening.on('end', () => this.lost(listening, null));
      await listening.connect();
      await listening.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (error) {
      if (client) this.lost(client, error as Error);
      else this.retryLater(error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.attempt > 0) this.logger.log('listening for outbox events again');
    this.attempt = 0;
    this.onWake();
  }

  private lost(client: Client, error: Error | null): void {
    if (this.stopped || (this.client !== null && this.client !== client)) return;
    if (this.client === client) this.client = null;
    client.removeAllListeners();
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    this.retryLater(error);
  }

  private retryLater(error: Error | null): void {
    if (this.stopped || this.retryTimer) return;
    this.attempt += 1;
    if (this.attempt === 1) {
      this.logger.warn(
        `outbox LISTEN connection lost${error ? ` (${error.message})` : ''}; polling until it is back`,
      );
    }
    const delay = Math.min(500 * 2 ** (this.attempt - 1), 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}
