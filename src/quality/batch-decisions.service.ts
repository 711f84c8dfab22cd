import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { appConfig, AppConfig } from '../../config/app.config';
import { getInScopeOrThrow } from '../common/scope/get-in-scope';
import { recordHashOf, Signature, SignatureService } from '../auth/signature.service';
import { BatchesService, LockedBatch } from '../batches/batches.service';
import { BatchViewDto } from '../batches/dto/batch-view.dto';
import { BatchAction, transition } from '../batches/domain/batch-state-machine';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { DomainEvent } from '../common/events/domain-events';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { BatchDecisionsRepository } from './batch-decisions.repository';
import { DeviationsRepository } from './deviations.repository';
import { countingResults, qcSummary, QcResultRecord } from './domain/qc-evaluation';
import { assertReleasable } from './domain/release-rules';
import { SignedBatchRecord, signedBatchRecord } from './domain/signed-record';
import { AcceptLegacyDto } from './dto/accept-legacy.dto';
import { DecideBatchDto } from './dto/decide-batch.dto';
import { DiscardBatchDto } from './dto/discard-batch.dto';
import { QcResultRow, QcResultsRepository } from './qc-results.repository';

/**
 * The batch's decision: release or reject under QA's electronic signature (rules 5 and 6), or discard.
 *
 * Order of checks for a decision: 404; 409 ALREADY_DECIDED (a decision exists) before the state machine's
 * 409 INVALID_TRANSITION; the signature (422 SIGNATURE_INVALID, 429 when locked), checked before the
 * transaction because a failed attempt must be counted even though the request fails; then, for RELEASE
 * only, the release rules in {@link assertReleasable}'s order: QC_NOT_PASSED, DEVIATION_OPEN, SAME_PERSON,
 * DOSE_EXPIRED. Everything before the signature is checked again under the batch's lock.
 */
@Injectable()
export class BatchDecisionsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly batches: BatchesService,
    private readonly decisions: BatchDecisionsRepository,
    private readonly qcResults: QcResultsRepository,
    private readonly deviations: DeviationsRepository,
    private readonly signatures: SignatureService,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async decide(user: AuthUser, batchId: string, dto: DecideBatchDto): Promise<BatchViewDto> {
    const action = dto.decision === 'RELEASE' ? BatchAction.RELEASE : BatchAction.REJECT;
    // What needs no password is checked first, so a request that cannot succeed costs the signer no attempt.
    const target = await getInScopeOrThrow(user, 'Batch', batchId, this.batches.identityOf(batchId));
    if (await this.decisions.existsFor(batchId)) throw alreadyDecided(batchId);
    transition(target.status, action);

    const record = await this.signedRecord(target);
    const signature = await this.signatures.sign(
      user,
      { password: dto.password, meaning: dto.meaning, record },
      this.clock.now(),
    );

    await this.transactions.run(actorOf(user), async (tx) => {
      const batch = await this.lockUndecided(tx, user, batchId, action);
      // The signature covers the record read before signing; a QC result or correction that slipped in
      // between would be released unsigned (21 CFR 11.70), so the signer must look again.
      if (recordHashOf(await this.signedRecord(batch, tx.manager)) !== signature.recordHash) {
        throw new DomainError(
          ErrorCode.INVALID_TRANSITION,
          "The batch's QC results or final harvest changed while the decision was being signed; review and sign again",
        );
      }
      const expiresAt =
        action === BatchAction.RELEASE ? await this.assertReleasable(tx, user, batchId) : undefined;
      await this.decisions.insert(
        {
          batchId,
          decision: dto.decision,
          signerId: signature.signerId,
          signerName: signature.signerName,
          meaning: signature.meaning,
          reason: dto.reason ?? null,
          signedAt: signature.signedAt,
          recordHash: signature.recordHash,
        },
        tx.manager,
      );
      const status = batch.nextStatus;
      await this.batches.setStatus(tx, batchId, status, expiresAt ? { expiresAt } : undefined);
      tx.audit({
        action: action === BatchAction.RELEASE ? 'batch.released' : 'batch.rejected',
        entityType: 'batch',
        entityId: batchId,
        before: { status: batch.status },
        after: {
          status,
          decision: dto.decision,
          expiresAt: expiresAt ?? null,
          signature: signatureView(signature),
          signedRecord: record,
        },
        reason: dto.reason ?? null,
      });
      tx.emit({
        type: action === BatchAction.RELEASE ? DomainEvent.BATCH_RELEASED : DomainEvent.BATCH_REJECTED,
        subjectType: 'batch',
        subjectId: batchId,
        payload: { decision: dto.decision, expiresAt: expiresAt?.toISOString() ?? null },
      });
    });
    return this.batches.view(user, batchId);
  }

  /**
   * A LEGACY batch's paper record accepted by QA under their signature (docs/imports.md): the batch becomes
   * RELEASED, so its banked vials may be drawn for boosters. It is the batch's one decision (a RELEASE row in
   * batch_decisions, so of two concurrent acceptances exactly one wins); it sets no shelf life (no fresh dose is
   * made from a legacy batch). Checks: 404; 409 ALREADY_DECIDED; 409 INVALID_TRANSITION (not a LEGACY batch in
   * CULTURE_COMPLETE); 422 SIGNATURE_INVALID (429 when locked).
   */
  async acceptLegacy(user: AuthUser, batchId: string, dto: AcceptLegacyDto): Promise<BatchViewDto> {
    const target = await getInScopeOrThrow(user, 'Batch', batchId, this.batches.identityOf(batchId));
    if (await this.decisions.existsFor(batchId)) throw alreadyDecided(batchId);
    transition(target.status, BatchAction.ACCEPT_LEGACY);
    const record = await this.signedRecord(target);
    const signature = await this.signatures.sign(
      user,
      { password: dto.password, meaning: dto.meaning, record },
      this.clock.now(),
    );
    await this.transactions.run(actorOf(user), async (tx) => {
      const batch = await this.lockUndecided(tx, user, batchId, BatchAction.ACCEPT_LEGACY);
      await this.decisions.insert(
        {
          batchId,
          decision: 'RELEASE',
          signerId: signature.signerId,
          signerName: signature.signerName,
          meaning: signature.meaning,
          reason: null,
          signedAt: signature.signedAt,
          recordHash: signature.recordHash,
        },
        tx.manager,
      );
      await this.batches.setStatus(tx, batchId, batch.nextStatus);
      tx.audit({
        action: 'batch.legacy_accepted',
        entityType: 'batch',
        entityId: batchId,
        before: { status: batch.status },
        after: { status: batch.nextStatus, decision: 'RELEASE', signature: signatureView(signature) },
      });
      tx.emit({
        type: DomainEvent.BATCH_RELEASED,
        subjectType: 'batch',
        subjectId: batchId,
        payload: { decision: 'RELEASE', expiresAt: null },
      });
    });
    return this.batches.view(user, batchId);
  }

  /** Any state before the decision -> DISCARDED (409 INVALID_TRANSITION once decided). */
  async discard(user: AuthUser, batchId: string, dto: DiscardBatchDto): Promise<BatchViewDto> {
    await this.transactions.run(actorOf(user), async (tx) => {
      const batch = await this.batches.lockForAction(tx, user, batchId, BatchAction.DISCARD);
      const status = batch.nextStatus;
      await this.batches.setStatus(tx, batchId, status);
      tx.audit({
        action: 'batch.discarded',
        entityType: 'batch',
        entityId: batchId,
        before: { status: batch.status },
        after: { status },
        reason: dto.reason,
      });
      tx.emit({ type: DomainEvent.BATCH_DISCARDED, subjectType: 'batch', subjectId: batchId, payload: {} });
    });
    return this.batches.view(user, batchId);
  }

  /**
   * The batch locked for a decision. A batch released or rejected by someone else meanwhile is not merely in
   * the wrong state: it was decided (409 ALREADY_DECIDED), whoever's request reached the lock second.
   */
  private async lockUndecided(
    tx: TransactionContext,
    user: AuthUser,
    batchId: string,
    action: BatchAction,
  ): Promise<LockedBatch> {
    try {
      return await this.batches.lockForAction(tx, user, batchId, action);
    } catch (error) {
      if (
        error instanceof DomainError &&
        error.code === ErrorCode.INVALID_TRANSITION &&
        (await this.decisions.existsFor(batchId, tx.manager))
      ) {
        throw alreadyDecided(batchId);
      }
      throw error;
    }
  }

  /** Rule 5, read under the batch's lock; answers the batch's expiry. */
  private async assertReleasable(tx: TransactionContext, user: AuthUser, batchId: string): Promise<Date> {
    const results = await this.qcResults.listOfBatch(batchId, tx.manager);
    const finalHarvest = await this.batches.currentFinalHarvestOf(batchId, tx.manager);
    if (!finalHarvest) {
      throw new DomainError(ErrorCode.INVALID_TRANSITION, 'The batch has no final harvest to release');
    }
    const { expiresAt } = assertReleasable({
      qc: qcSummary(results.map(countingRecord)),
      openDeviations: await this.deviations.countOpenOfBatch(batchId, tx.manager),
      signerRecordedOnBatch: (await this.batches.recordersOf(tx, batchId)).has(user.id),
      finalHarvestAt: finalHarvest.performedAt,
      freshShelfLifeHours: this.env.freshDoseShelfLifeHours,
      decidedAt: tx.now,
    });
    return expiresAt;
  }

  /** What the signer signs: the counting QC results and the current final harvest, as they are now. */
  private async signedRecord(
    batch: { id: string; din: string },
    manager?: EntityManager,
  ): Promise<SignedBatchRecord> {
    const results = await this.qcResults.listOfBatch(batch.id, manager);
    const counting = [
      ...countingResults(results.map((row) => ({ ...countingRecord(row), row }))).values(),
    ].map((r) => r.row);
    return signedBatchRecord(batch, await this.batches.currentFinalHarvestOf(batch.id, manager), counting);
  }
}

function countingRecord(row: QcResultRow): QcResultRecord {
  return { id: row.id, test: row.test, outcome: row.outcome, correctsId: row.correctsId, order: row.ordinal };
}

function signatureView(signature: Signature): Record<string, unknown> {
  return {
    signerId: signature.signerId,
    signerName: signature.signerName,
    signerRole: signature.signerRole,
    meaning: signature.meaning,
    signedAt: signature.signedAt.toISOString(),
    recordHash: signature.recordHash,
  };
}

function alreadyDecided(batchId: string): DomainError {
  return new DomainError(ErrorCode.ALREADY_DECIDED, 'This batch has been decided already', { batchId });
}
