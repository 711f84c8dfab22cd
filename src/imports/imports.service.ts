import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { DomainEvent } from '../common/events/domain-events';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { RowError } from './domain/bank-inventory-row';
import { InventoryHeaderError, inventoryChunks } from './domain/inventory-chunks';
import {
  DryRunResultDto,
  ImportStartedDto,
  ImportStateValue,
  ImportViewDto,
  lineErrorView,
} from './dto/imports.dto';
import { ImportsRepository } from './imports.repository';
import { InventoryAssessor } from './inventory-assessor.service';

/** Lines read and checked against the database at a time in a dry run. */
const DRY_RUN_CHUNK = 2000;

/**
 * Bank inventory imports (docs/imports.md): the dry run, the start of a real run (its job does the work,
 * src/imports/import-runner.service.ts) and its progress.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly imports: ImportsRepository,
    private readonly assessor: InventoryAssessor,
    private readonly clock: Clock,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** Every bad line of the file, judged as the real run would judge it now; writes nothing. */
  async dryRun(content: string): Promise<DryRunResultDto> {
    const now = this.clock.now();
    let rows = 0;
    const errors: RowError[] = [];
    try {
      for await (const chunk of inventoryChunks(content, now, DRY_RUN_CHUNK)) {
        rows += chunk.lines;
        const assessment = await this.assessor.assess(chunk.rows, this.db.manager);
        errors.push(...[...chunk.errors, ...assessment.errors].sort((a, b) => a.line - b.line));
      }
    } catch (error) {
      if (!(error instanceof InventoryHeaderError)) throw error;
      return { rows: 0, errors: error.errors.map(lineErrorView) };
    }
    return { rows, errors: errors.map(lineErrorView) };
  }

  /**
   * Stores the file as an import and queues its run (through the outbox, so a Redis outage only delays it).
   * A wrong header is 400 (nothing to import); bad lines are the run's errors. The same bytes while their
   * import is unfinished join it, and wake its run again (a run whose worker is gone is resumed).
   */
  async start(user: AuthUser, content: string): Promise<ImportStartedDto> {
    const requestedAt = this.clock.now();
    let total = 0;
    try {
      for await (const chunk of inventoryChunks(content, requestedAt, DRY_RUN_CHUNK)) total += chunk.lines;
    } catch (error) {
      if (!(error instanceof InventoryHeaderError)) throw error;
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        'The header of the file is wrong: nothing to import',
        {
          fields: error.errors.map((e) => ({
            field: `line ${e.line}: ${e.field ?? 'header'}`,
            errors: [e.message],
          })),
          lines: error.errors.map(lineErrorView),
        },
      );
    }
    const fileSha256 = createHash('sha256').update(content, 'utf8').digest('hex');
    const id = randomUUID();
    const started = await this.transactions.run(actorOf(user), async (tx) => {
      const result = await this.imports.insertOrJoin(
        { id, fileSha256, content, total, requestedBy: user.id, at: tx.now },
        tx.manager,
      );
      if (!result.joined) {
        tx.audit({
          action: 'import.requested',
          entityType: 'import',
          entityId: result.id,
          before: null,
          after: { kind: 'BANK_INVENTORY', fileSha256, total, bytes: Buffer.byteLength(content, 'utf8') },
        });
      }
      tx.emit({
        type: DomainEvent.IMPORT_REQUESTED,
        subjectType: 'import',
        subjectId: result.id,
        payload: {},
      });
      return result.id;
    });
    return { importId: started };
  }

  async view(id: string): Promise<ImportViewDto> {
    const found = await this.imports.findById(id);
    if (!found) throw notFound('Import', id);
    const errors = await this.imports.errorsOf(id);
    return {
      id: found.id,
      state: found.state as ImportStateValue,
      total: found.total,
      processed: found.processed,
      created: found.created,
      skipped: found.skipped,
      errors: errors.map(lineErrorView),
      failure: found.failure,
      requestedAt: found.requestedAt,
      startedAt: found.startedAt,
      finishedAt: found.finishedAt,
    };
  }
}
