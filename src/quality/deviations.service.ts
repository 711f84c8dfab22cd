import { Injectable } from '@nestjs/common';
import { getInScopeOrThrow } from '../common/scope/get-in-scope';
import { SignatureService } from '../auth/signature.service';
import { BatchesService } from '../batches/batches.service';
import { BatchAction } from '../batches/domain/batch-state-machine';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { DomainEvent } from '../common/events/domain-events';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination/pagination';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { DeviationRow, DeviationsRepository } from './deviations.repository';
import { CloseDeviationDto } from './dto/close-deviation.dto';
import { deviationView, DeviationViewDto } from './dto/deviation-view.dto';
import { RecordDeviationDto } from './dto/record-deviation.dto';

/** What QA's signature on closing a deviation means (21 CFR 11.50(a)(3)). */
export const DEVIATION_CLOSED_MEANING = 'Deviation closed: investigation reviewed and resolution approved';

/** Deviations on a batch: opened by whoever saw them, closed once by QA with a signature. */
@Injectable()
export class DeviationsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly batches: BatchesService,
    private readonly deviations: DeviationsRepository,
    private readonly signatures: SignatureService,
    private readonly clock: Clock,
  ) {}

  /** Any state before the decision (409 after it): an open deviation then blocks release. */
  async open(user: AuthUser, batchId: string, dto: RecordDeviationDto): Promise<DeviationViewDto> {
    const occurredAt = parseZonedTimestamp(dto.occurredAt) as Date;
    return this.transactions.run(actorOf(user), async (tx) => {
      await this.batches.lockForAction(tx, user, batchId, BatchAction.OPEN_DEVIATION);
      const row = await this.deviations.insert(
        {
          batchId,
          description: dto.description,
          severity: dto.severity,
          occurredAt,
          openedBy: user.id,
          openedAt: tx.now,
        },
        tx.manager,
      );
      const view = deviationView(row);
      tx.audit({ action: 'batch.deviation_opened', entityType: 'batch', entityId: batchId, after: view });
      this.announce(tx, row, 'OPEN');
      return view;
    });
  }

  /**
   * Checks, in order: 404, 409 ALREADY_DECIDED (closed already), the signature (422 SIGNATURE_INVALID, 429
   * when locked). The password is checked before the transaction, which only writes; two QA users closing at
   * once both sign, and the conditional update lets exactly one close it.
   */
  async close(user: AuthUser, deviationId: string, dto: CloseDeviationDto): Promise<DeviationViewDto> {
    const deviation = await this.visible(user, deviationId);
    if (deviation.status !== 'OPEN') throw closedAlready(deviationId);
    const signature = await this.signatures.sign(
      user,
      {
        password: dto.password,
        meaning: DEVIATION_CLOSED_MEANING,
        record: {
          deviationId: deviation.id,
          batchId: deviation.batchId,
          description: deviation.description,
          severity: deviation.severity,
          occurredAt: deviation.occurredAt.toISOString(),
          resolution: dto.resolution,
        },
      },
      this.clock.now(),
    );
    return this.transactions.run(actorOf(user), async (tx) => {
      const signed = {
        signerId: signature.signerId,
        signerName: signature.signerName,
        signerRole: signature.signerRole,
        meaning: signature.meaning,
        signedAt: signature.signedAt.toISOString(),
        recordHash: signature.recordHash,
      };
      const closed = await this.deviations.closeIfOpen(
        deviationId,
        { closedBy: user.id, closedAt: tx.now, resolution: dto.resolution, signature: signed },
        tx.manager,
      );
      if (!closed) throw closedAlready(deviationId);
      const row = (await this.deviations.findById(deviationId, tx.manager)) as DeviationRow;
      tx.audit({
        action: 'batch.deviation_closed',
        entityType: 'batch',
        entityId: row.batchId,
        before: deviationView(deviation),
        after: deviationView(row),
        reason: dto.resolution,
      });
      this.announce(tx, row, 'CLOSED');
      return deviationView(row);
    });
  }

  async listOfBatch(user: AuthUser, batchId: string, query: PageQuery): Promise<Page<DeviationViewDto>> {
    await getInScopeOrThrow(user, 'Batch', batchId, this.batches.identityOf(batchId));
    const after = decodeCursor(query.cursor, 2) as [string, string] | null;
    const rows = await this.deviations.listOfBatch(batchId, query.limit + 1, after);
    return toPage(rows, query.limit, (row) => [row.cursorAt, row.id], deviationView);
  }

  private async visible(user: AuthUser, deviationId: string): Promise<DeviationRow> {
    const deviation = await this.deviations.findById(deviationId);
    // A deviation is as visible as its batch (the batch owns the clinic).
    const batch = deviation && (await this.batches.identityOf(deviation.batchId));
    await getInScopeOrThrow(user, 'Deviation', deviationId, Promise.resolve(batch));
    return deviation as DeviationRow;
  }

  /** Open deviations hold back the batch's release readiness; the jobs re-evaluate the batch. */
  private announce(tx: TransactionContext, row: DeviationRow, status: 'OPEN' | 'CLOSED'): void {
    tx.emit({
      type: DomainEvent.DEVIATION_CHANGED,
      subjectType: 'batch',
      subjectId: row.batchId,
      payload: { deviationId: row.id, status },
    });
  }
}

function closedAlready(deviationId: string): DomainError {
  return new DomainError(ErrorCode.ALREADY_DECIDED, 'This deviation was closed already', { deviationId });
}
