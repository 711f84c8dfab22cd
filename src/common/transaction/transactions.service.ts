import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { canonicalText } from '../../audit/canonical';
import { Clock } from '../clock/clock';
import { Actor } from './actor';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

/** A domain event for the background jobs, written to the outbox in the same transaction as the change. */
export interface OutboxEvent {
  type: string;
  subjectType: string;
  subjectId: string;
  payload?: Record<string, unknown>;
}

/** What a command gets inside its transaction: the manager for its queries, and the audit and outbox. */
export class TransactionContext {
  readonly auditEntries: AuditInput[] = [];
  readonly events: OutboxEvent[] = [];

  constructor(
    readonly manager: EntityManager,
    readonly actor: Actor,
    readonly now: Date,
  ) {}

  audit(entry: AuditInput): void {
    this.auditEntries.push(entry);
  }

  emit(event: OutboxEvent): void {
    this.events.push(event);
  }

  query<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.manager.query<T[]>(sql, parameters);
  }
}

// PostgreSQL asks the client to retry these: the transaction lost a race, not the argument.
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

/**
 * The one way business writes reach the database: one transaction per command that also writes its audit
 * entries and outbox rows, retried as a whole on a serialization failure or deadlock (TypeORM does not).
 * Audit entries are plain inserts, no lock shared with other writers: the sequencer
 * (src/audit/ledger/sequencer.service.ts) integrates them into the ledger after they commit.
 */
@Injectable()
export class Transactions {
  private readonly logger = new Logger(Transactions.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async run<T>(actor: Actor, work: (tx: TransactionContext) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(async (manager) => {
          const tx = new TransactionContext(manager, actor, this.clock.now());
          const result = await work(tx);
          await this.writeOutbox(tx);
          await this.appendAudit(tx);
          return result;
        });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.warn(`transaction retry ${attempt}/${MAX_ATTEMPTS - 1} after ${code}`);
        await sleep(Math.random() * 20 * attempt);
      }
    }
  }

  private async writeOutbox(tx: TransactionContext): Promise<void> {
    for (const event of tx.events) {
      await tx.manager.query(
        'INSERT INTO outbox_events (type, subject_type, subject_id, payload) VALUES ($1, $2, $3, $4)',
        [event.type, event.subjectType, event.subjectId, JSON.stringify(event.payload ?? {})],
      );
    }
  }

  private async appendAudit(tx: TransactionContext): Promise<void> {
    if (tx.auditEntries.length === 0) return;
    const canonicals = tx.auditEntries.map((entry) =>
      canonicalText({
        at: tx.now.getTime(),
        actorId: tx.actor.id,
        actorRole: tx.actor.role,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        before: entry.before ?? null,
        after: entry.after ?? null,
        reason: entry.reason ?? null,
      }),
    );
    // audit_append() is a plain insert now (migrations/1764000420000-audit-ledger.ts): no lock, nothing
    // shared with other writers; the sequencer integrates the entry after this transaction commits.
    for (const canonical of canonicals) {
      await tx.manager.query('SELECT seq FROM audit_append($1)', [canonical]);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
