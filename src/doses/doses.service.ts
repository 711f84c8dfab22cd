import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { BatchesService, BatchIdentity } from '../batches/batches.service';
import { BatchAction } from '../batches/domain/batch-state-machine';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { DomainEvent } from '../common/events/domain-events';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination/pagination';
import { getInScopeOrThrow } from '../common/scope/get-in-scope';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { MaterialsService, UsedLot } from '../materials/materials.service';
import { identityMismatches } from './domain/bedside-identity';
import { receiptDeviations } from './domain/cold-chain';
import { assertNotBefore } from './domain/dose-chronology';
import { DoseKind, doseLabel } from './domain/dose-label';
import { DoseAction, transitionDose } from './domain/dose-state-machine';
import { DonorsService } from '../donors/donors.service';
import { DoseEntity } from './dose.entity';
import { DosesRepository } from './doses.repository';
import { ScanVerifier } from '../labels/scan-verifier.service';

import { AdministerDoseDto } from './dto/administer-dose.dto';
import { DestroyDoseDto } from './dto/destroy-dose.dto';
import { DispatchDoseDto } from './dto/dispatch-dose.dto';
import { doseView, DoseViewDto } from './dto/dose-view.dto';
import { FormulateDoseDto } from './dto/formulate-dose.dto';
import { ReceiveDoseDto } from './dto/receive-dose.dto';

/** A dose to issue from a batch, fresh or booster; the caller holds the batch's lock (label numbering). */
export interface DoseToIssue {
  batch: { id: string; din: string };
  kind: DoseKind;
  boosterId: string | null;
  cells: number;
  volumeMl: number;
  formulatedAt: Date;
  expiresAt: Date;
  /** Lets the caller record material usage against the dose before it exists; generated when absent. */
  id?: string;
  /** The reagent lots used, named in the audit entry. */
  materialLots?: readonly UsedLot[];
}

export interface DoseRecall {
  batchId: string;
  reason: string;
  /** The QC result that caused the recall. */
  qcResultId: string;
}

/** A dose with the batch it came from: the batch's clinic scopes who may see or handle the dose. */
interface DoseOfBatch {
  dose: DoseEntity;
  batch: BatchIdentity;
  clinicId: string;
}

/**
 * Doses from formulation to the bedside. Fresh doses are formulated here; booster doses (bank module) are
 * issued through {@link issueDose} and then dispatched, received, destroyed and administered by the same
 * commands, since the dose state machine does not care where the cells came from.
 */
@Injectable()
export class DosesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly doses: DosesRepository,
    private readonly batches: BatchesService,
    private readonly materials: MaterialsService,
    private readonly donors: DonorsService,
    private readonly scans: ScanVerifier,
  ) {}

  /**
   * Checks, in order: batch 404, batch state (409: not RELEASED, or recalled), formulatedAt not before the final
   * harvest (400), material lots (404 unknown, 422 LOT_EXPIRED), shelf life at formulatedAt (422 DOSE_EXPIRED),
   * viable cells left (422 INSUFFICIENT_CELLS).
   */
  async formulate(user: AuthUser, batchId: string, dto: FormulateDoseDto): Promise<DoseViewDto> {
    const formulatedAt = eventTime(dto.formulatedAt);
    return this.transactions.run(actorOf(user), async (tx) => {
      const batch = await this.batches.lockForAction(tx, user, batchId, BatchAction.FORMULATE_DOSE);
      if (batch.recalledAt !== null) {
        // A recall is a state of the batch, like its status: nothing more is drawn from it (409, not 422).
        throw new DomainError(
          ErrorCode.INVALID_TRANSITION,
          'The batch was recalled after a positive QC result; no dose may be formulated',
          {
            recalledAt: batch.recalledAt,
          },
        );
      }
      assertNotBefore('formulatedAt', formulatedAt, [
        { what: 'the final harvest', at: await this.batches.finalHarvestAt(tx, batchId) },
      ]);
      // The usage rows name the dose by id before it exists, so an unknown or expired lot is answered
      // (404, 422 LOT_EXPIRED) before the shelf-life and cell checks, as the order of checks asks.
      const doseId = randomUUID();
      const materialLots = await this.materials.recordUsage(tx, {
        lotIds: dto.materialLotIds ?? [],
        batchId,
        eventType: 'DOSE',
        eventId: doseId,
        usedAt: formulatedAt,
      });
      if (batch.expiresAt === null || formulatedAt.getTime() >= batch.expiresAt.getTime()) {
        throw new DomainError(ErrorCode.DOSE_EXPIRED, 'The batch had expired at formulatedAt', {
          expiresAt: batch.expiresAt,
        });
      }
      const remaining = (batch.viableCellsYielded ?? 0) - batch.cellsDrawn;
      if (dto.cells > remaining) {
        throw new DomainError(
          ErrorCode.INSUFFICIENT_CELLS,
          `Only ${remaining} viable cells are left in this batch`,
          {
            requested: dto.cells,
            remaining,
          },
        );
      }
      await this.batches.drawCells(tx, batchId, dto.cells);
      return this.issueDose(tx, {
        id: doseId,
        batch: { id: batchId, din: batch.din },
        kind: 'FRESH',
        boosterId: null,
        cells: dto.cells,
        volumeMl: dto.volumeMl,
        formulatedAt,
        expiresAt: batch.expiresAt,
        materialLots,
      });
    });
  }

  /**
   * Labels, stores, audits (on the batch: formulation is a step of the batch's record) and announces a new
   * dose. Call inside the command's transaction while holding the batch's lock, which makes the label's
   * number safe; the unique label is the last word.
   */
  async issueDose(tx: TransactionContext, dose: DoseToIssue): Promise<DoseViewDto> {
    const ordinal = (await this.doses.countOfKind(dose.batch.id, dose.kind, tx.manager)) + 1;
    const row = await this.doses.insert(
      {
        id: dose.id ?? randomUUID(),
        batchId: dose.batch.id,
        label: doseLabel(dose.batch.din, dose.kind, ordinal),
        kind: dose.kind,
        boosterId: dose.boosterId,
        cells: dose.cells,
        volumeMl: dose.volumeMl,
        formulatedAt: dose.formulatedAt,
        expiresAt: dose.expiresAt,
        formulatedBy: requireActorId(tx),
        createdAt: tx.now,
      },
      tx.manager,
    );
    const view = doseView(row, await this.batchOf(row.batchId, tx));
    tx.audit({
      action: 'batch.dose_formulated',
      entityType: 'batch',
      entityId: dose.batch.id,
      after: { ...view, materialLots: dose.materialLots ?? [] },
    });
    tx.emit({
      type: DomainEvent.DOSE_FORMULATED,
      subjectType: 'dose',
      subjectId: row.id,
      payload: { batchId: dose.batch.id, kind: dose.kind },
    });
    return view;
  }

  async dispatch(user: AuthUser, doseId: string, dto: DispatchDoseDto): Promise<DoseViewDto> {
    const dispatchedAt = eventTime(dto.dispatchedAt);
    const run = () =>
      this.transactions.run(actorOf(user), async (tx) => {
        const { dose } = await this.lockVisible(tx, user, doseId);
        const status = transitionDose(dose.status, DoseAction.DISPATCH);
        assertNotBefore('dispatchedAt', dispatchedAt, [{ what: 'the formulation', at: dose.formulatedAt }]);
        await this.checkScan(tx, user, 'DOSE_DISPATCH', dose, dto.scan);
        await this.doses.markDispatched(dose.id, dispatchedAt, tx.manager);
        return this.changed(tx, dose, 'dose.dispatched', { status, dispatchedAt });
      });
    return this.scans.recordingMismatch(user, run);
  }

  /** Not intact: REJECTED and never administered. Outside 2..8 C: accepted, with a deviation on the dose. */
  async receive(user: AuthUser, doseId: string, dto: ReceiveDoseDto): Promise<DoseViewDto> {
    const receivedAt = eventTime(dto.receivedAt);
    const run = () =>
      this.transactions.run(actorOf(user), async (tx) => {
        const { dose } = await this.lockVisible(tx, user, doseId);
        const status = transitionDose(
          dose.status,
          dto.intact ? DoseAction.RECEIVE : DoseAction.REJECT_AT_RECEIPT,
        );
        await this.checkScan(tx, user, 'DOSE_RECEIPT', dose, dto.scan);
        const deviations = receiptDeviations(dto.temperatureC);
        await this.doses.markReceived(
          dose.id,
          { status, receivedAt, temperatureC: dto.temperatureC, intact: dto.intact, deviations },
          tx.manager,
        );
        return this.changed(tx, dose, dto.intact ? 'dose.received' : 'dose.rejected_at_receipt', {
          status,
          receivedAt,
          temperatureC: dto.temperatureC,
          intact: dto.intact,
          deviations,
        });
      });
    return this.scans.recordingMismatch(user, run);
  }

  async destroy(user: AuthUser, doseId: string, dto: DestroyDoseDto): Promise<DoseViewDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const { dose } = await this.lockVisible(tx, user, doseId);
      const status = transitionDose(dose.status, DoseAction.DESTROY);
      await this.doses.markDestroyed(dose.id, tx.now, dto.reason, tx.manager);
      return this.changed(tx, dose, 'dose.destroyed', { status, destroyedAt: tx.now }, dto.reason);
    });
  }

  /**
   * Bedside checks, in order: dose 404, state (409: only FORMULATED, DISPATCHED or RECEIVED), administeredAt
   * not before the dose's earlier steps (400), identity
   * (422 IDENTITY_MISMATCH: the wrong patient or the wrong syringe is the graver error, so it is reported
   * even for an expired dose), shelf life (422 DOSE_EXPIRED at or after expiresAt).
   */
  async administer(user: AuthUser, doseId: string, dto: AdministerDoseDto): Promise<DoseViewDto> {
    const administeredAt = eventTime(dto.administeredAt);
    const run = () =>
      this.transactions.run(actorOf(user), async (tx) => {
        const { dose, batch } = await this.lockVisible(tx, user, doseId);
        const status = transitionDose(dose.status, DoseAction.ADMINISTER);
        assertNotBefore('administeredAt', administeredAt, [
          { what: 'the formulation', at: dose.formulatedAt },
          { what: 'the dispatch', at: dose.dispatchedAt },
          { what: 'the receipt at the clinic', at: dose.receivedAt },
        ]);
        const mismatched = identityMismatches(
          { patientCode: dto.patientCode, doseLabel: dto.doseLabel },
          { donorCode: (await this.donors.codeOf(batch.donorId, tx.manager)) as string, label: dose.label },
        );
        if (mismatched.length > 0) {
          throw new DomainError(
            ErrorCode.IDENTITY_MISMATCH,
            `Do not administer: the scanned ${mismatched.join(' and ')} does not match this dose`,
            { fields: mismatched },
          );
        }
        await this.checkScan(tx, user, 'ADMINISTRATION', dose, dto.scan);
        if (administeredAt.getTime() >= dose.expiresAt.getTime()) {
          throw new DomainError(ErrorCode.DOSE_EXPIRED, 'The dose had expired at administeredAt', {
            expiresAt: dose.expiresAt,
          });
        }
        await this.doses.markAdministered(
          dose.id,
          { administeredAt, administeredBy: user.id, site: dto.site },
          tx.manager,
        );
        return this.changed(
          tx,
          dose,
          'dose.administered',
          { status, administeredAt, site: dto.site },
          undefined,
          DomainEvent.DOSE_ADMINISTERED,
        );
      });
    return this.scans.recordingMismatch(user, run);
  }

  /** The hand-off's scan of the dose's label (docs/labels.md): 422 IDENTITY_MISMATCH or SCAN_REQUIRED. */
  private checkScan(
    tx: TransactionContext,
    user: AuthUser,
    handOff: 'DOSE_DISPATCH' | 'DOSE_RECEIPT' | 'ADMINISTRATION',
    dose: DoseEntity,
    scan: string | undefined,
  ): Promise<void> {
    const subject = { subjectType: 'DOSE' as const, subjectId: dose.id, itemLabel: dose.label };
    return this.scans.checkHandOff(tx, user, { handOff, subject, scan });
  }

  /** A dose's label, for messages that name it (notifications); null when there is no such dose. */
  async labelOf(doseId: string, manager?: EntityManager): Promise<string | null> {
    return (await this.doses.findById(doseId, manager))?.label ?? null;
  }

  async get(user: AuthUser, doseId: string): Promise<DoseViewDto> {
    const { dose, batch } = await getInScopeOrThrow(
      user,
      'Dose',
      doseId,
      this.withBatch(this.doses.findById(doseId)),
    );
    return doseView(dose, batch);
  }

  async listOfBatch(user: AuthUser, batchId: string, query: PageQuery): Promise<Page<DoseViewDto>> {
    const batch = await getInScopeOrThrow(user, 'Batch', batchId, this.batches.identityOf(batchId));
    const after = decodeCursor(query.cursor, 2) as [string, string] | null;
    const rows = await this.doses.listOfBatch(batchId, query.limit + 1, after);
    return toPage(
      rows,
      query.limit,
      (row) => [row.cursorAt, row.dose.id],
      (row) => doseView(row.dose, batch),
    );
  }

  /**
   * Rule 7: a positive sterility or mycoplasma result after release recalls every dose not yet given, in the
   * transaction that records the result, and marks the batch recalled (not ready for injection, its vials not
   * reservable). The caller holds the batch's lock; each dose is locked here, so a bedside administration
   * either finished first (the dose stays ADMINISTERED) or finds the dose RECALLED.
   */
  async recallUndeliveredDoses(tx: TransactionContext, recall: DoseRecall): Promise<string[]> {
    const doses = await this.doses.lockUndeliveredOfBatch(recall.batchId, tx.manager);
    const ids = doses.map((dose) => dose.id);
    if (ids.length > 0) await this.doses.markRecalled(ids, tx.now, recall.reason, tx.manager);
    for (const dose of doses) {
      const status = transitionDose(dose.status, DoseAction.RECALL);
      tx.audit({
        action: 'dose.recalled',
        entityType: 'dose',
        entityId: dose.id,
        before: { status: dose.status },
        after: {
          status,
          batchId: dose.batchId,
          label: dose.label,
          recalledAt: tx.now,
          qcResultId: recall.qcResultId,
        },
        reason: recall.reason,
      });
    }
    const previous = await this.batches.markRecalled(tx, recall.batchId);
    tx.audit({
      action: 'batch.recalled',
      entityType: 'batch',
      entityId: recall.batchId,
      before: { recalledAt: previous },
      after: { recalledAt: previous ?? tx.now, recalledDoseIds: ids, qcResultId: recall.qcResultId },
      reason: recall.reason,
    });
    tx.emit({
      type: DomainEvent.DOSES_RECALLED,
      subjectType: 'batch',
      subjectId: recall.batchId,
      payload: { doseIds: ids, qcResultId: recall.qcResultId },
    });
    return ids;
  }

  /** The dose, locked; other clinics' doses do not exist for a doctor (404). */
  private lockVisible(tx: TransactionContext, user: AuthUser, doseId: string): Promise<DoseOfBatch> {
    return getInScopeOrThrow(
      user,
      'Dose',
      doseId,
      this.withBatch(this.doses.lockById(doseId, tx.manager), tx),
    );
  }

  private async withBatch(
    found: Promise<DoseEntity | null>,
    tx?: TransactionContext,
  ): Promise<DoseOfBatch | null> {
    const dose = await found;
    if (!dose) return null;
    const batch = await this.batchOf(dose.batchId, tx);
    return { dose, batch, clinicId: batch.clinicId };
  }

  /** A dose's batch always exists (doses.batch_id references it). */
  private async batchOf(batchId: string, tx?: TransactionContext): Promise<BatchIdentity> {
    return (await this.batches.identityOf(batchId, tx?.manager)) as BatchIdentity;
  }

  /** Audits a dose's change of state (entity: the dose) and tells the jobs, then answers the dose as it is now. */
  private async changed(
    tx: TransactionContext,
    before: DoseEntity,
    action: string,
    after: Record<string, unknown>,
    reason?: string,
    event: DomainEvent = DomainEvent.DOSE_CHANGED,
  ): Promise<DoseViewDto> {
    tx.audit({
      action,
      entityType: 'dose',
      entityId: before.id,
      before: { status: before.status },
      after: { ...after, batchId: before.batchId, label: before.label },
      reason: reason ?? null,
    });
    tx.emit({
      type: event,
      subjectType: 'dose',
      subjectId: before.id,
      payload: { batchId: before.batchId, status: after.status },
    });
    const dose = (await this.doses.findById(before.id, tx.manager)) as DoseEntity;
    return doseView(dose, await this.batchOf(dose.batchId, tx));
  }
}

/** An event time the DTO has validated already (IsPastEventTime), as a Date. */
function eventTime(value: string): Date {
  return parseZonedTimestamp(value) as Date;
}

function requireActorId(tx: TransactionContext): string {
  if (tx.actor.id === null)
    throw new DomainError(ErrorCode.FORBIDDEN, 'Doses are formulated by a signed-in person');
  return tx.actor.id;
}
