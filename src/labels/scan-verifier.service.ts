import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { appConfig, AppConfig } from '../../config/app.config';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { parseScan } from './domain/scan-parser';
import { judgeScan, Verdict } from './domain/scan-verdict';
import { ItemIdentity } from './domain/subject-type';
import { HandOff, ScanEntity } from './scan.entity';
import { ScansRepository } from './scans.repository';

/** A hand-off's scan: the item acted on, what else may be scanned for it, and what was scanned. */
export interface HandOffScan {
  handOff: HandOff;
  subject: ItemIdentity;
  /** What identifies the item for this hand-off; defaults to the subject alone. */
  accepted?: readonly ItemIdentity[];
  /** The item a failed check is recorded against, when the subject is not stored yet (a vial being frozen). */
  failureSubject?: ItemIdentity;
  scan: string | undefined;
}

/** The refusal of a hand-off whose scan names another item; carries the check to record after the rollback. */
class ScanMismatch extends DomainError {
  constructor(
    readonly check: ScanEntity,
    verdict: Verdict,
  ) {
    super(ErrorCode.IDENTITY_MISMATCH, 'The scanned label is not this item', {
      reason: verdict.reason,
      identified: verdict.identified,
    });
  }
}

/**
 * The one check of "is the item in hand the one the record names" (docs/labels.md, "Scans"), for every
 * hand-off and for POST /scans/verify. A hand-off calls {@link checkHandOff} inside its transaction after its
 * own 404 and 409 checks, and wraps that transaction in {@link recordingMismatch}: a mismatch rolls the
 * hand-off back and is then recorded in a transaction of its own, so nothing changes but the failed check.
 */
@Injectable()
export class ScanVerifier {
  constructor(
    private readonly scans: ScansRepository,
    private readonly transactions: Transactions,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  /** Parses and judges a scan against the items that would match it; no write. */
  async judge(manager: EntityManager, scan: string, accepted: readonly ItemIdentity[]): Promise<Verdict> {
    const parsed = parseScan(scan);
    const serial =
      parsed.form === 'SERIAL' || (parsed.form === 'ITEM' && parsed.serial !== null)
        ? await this.scans.serialFacts(parsed.serial as string, manager)
        : null;
    return judgeScan(parsed, accepted, serial);
  }

  /**
   * 422 SCAN_REQUIRED when SCAN_REQUIRED=true and there is no scan; a scan that does not identify the item is
   * 422 IDENTITY_MISMATCH (recorded by {@link recordingMismatch}); a matching one is recorded with the hand-off.
   */
  async checkHandOff(tx: TransactionContext, user: AuthUser, input: HandOffScan): Promise<void> {
    if (input.scan === undefined) {
      if (this.env.scanRequired) {
        throw new DomainError(
          ErrorCode.SCAN_REQUIRED,
          'This hand-off needs a scan of the item (SCAN_REQUIRED)',
          {
            handOff: input.handOff,
          },
        );
      }
      return;
    }
    const verdict = await this.judge(tx.manager, input.scan, input.accepted ?? [input.subject]);
    if (!verdict.match) {
      const failed = input.failureSubject ?? input.subject;
      throw new ScanMismatch(this.scanRow(tx, user, failed, input.handOff, input.scan, verdict), verdict);
    }
    await this.record(tx, this.scanRow(tx, user, input.subject, input.handOff, input.scan, verdict));
  }

  /** Runs a hand-off; if its scan did not match, records the failed check once the hand-off has rolled back. */
  async recordingMismatch<T>(user: AuthUser, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ScanMismatch) {
        await this.transactions.run(actorOf(user), (tx) =>
          this.record(tx, { ...error.check, scannedAt: tx.now }),
        );
      }
      throw error;
    }
  }

  /** Stores a check and its audit entry (on the item scanned for) in the caller's transaction. */
  async record(tx: TransactionContext, scan: ScanEntity): Promise<void> {
    await this.scans.insert(scan, tx.manager);
    tx.audit({
      action: scan.match ? 'scan.matched' : 'scan.mismatched',
      entityType: scan.subjectType.toLowerCase(),
      entityId: scan.subjectId,
      after: {
        scanId: scan.id,
        handOff: scan.handOff,
        scan: scan.scan,
        match: scan.match,
        reason: scan.reason,
        identified:
          scan.identifiedId === null
            ? null
            : { subjectType: scan.identifiedType, subjectId: scan.identifiedId },
        serial: scan.serial,
      },
    });
  }

  scanRow(
    tx: TransactionContext,
    user: AuthUser,
    subject: ItemIdentity,
    handOff: HandOff | null,
    scan: string,
    verdict: Verdict,
  ): ScanEntity {
    return {
      id: randomUUID(),
      subjectType: subject.subjectType,
      subjectId: subject.subjectId,
      handOff,
      scan: scan.trim(),
      match: verdict.match,
      reason: verdict.reason,
      identifiedType: verdict.identified?.subjectType ?? null,
      identifiedId: verdict.identified?.subjectId ?? null,
      serial: verdict.identified?.serial ?? null,
      actorId: user.id,
      actorRole: user.role,
      scannedAt: tx.now,
    };
  }
}
