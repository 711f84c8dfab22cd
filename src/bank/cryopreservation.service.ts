import { Injectable } from '@nestjs/common';
import { EventBus } from '../common/events/event-bus';
import { CellsCryopreserved } from './events/cells-cryopreserved.event';
import { randomUUID } from 'node:crypto';
import { BatchesService } from '../batches/batches.service';
import { BatchAction } from '../batches/domain/batch-state-machine';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { DomainEvent } from '../common/events/domain-events';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { FieldError, validationFailed } from '../common/validation/validation';
import { DonorsService } from '../donors/donors.service';
import { MaterialsService } from '../materials/materials.service';
import { CryopreservationsRepository } from './cryopreservations.repository';
import { vialLabel } from './domain/vial-label';
import { VialStatus } from './domain/vial-state-machine';
import { CryopreservationResultDto, CryopreserveDto } from './dto/cryopreserve.dto';
import { vialSummary } from './dto/vial-view.dto';
import { ReviewScheduler } from './review-scheduler.service';
import { Box, VialPlacement } from './vial-placement.service';
import { NewVial, VialsRepository } from './vials.repository';
import { ScanVerifier } from '../labels/scan-verifier.service';

/**
 * Cryopreservation: surplus cells of a batch frozen into vials in tank positions (docs/domain.md, rules 1, 2, 6, 9, 13).
 * All or nothing: one transaction stores every vial or none.
 */
@Injectable()
export class CryopreservationService {
  constructor(
    private readonly transactions: Transactions,
    private readonly batches: BatchesService,
    private readonly donors: DonorsService,
    private readonly materials: MaterialsService,
    private readonly placement: VialPlacement,
    private readonly scheduler: ReviewScheduler,
    private readonly vials: VialsRepository,
    private readonly freezings: CryopreservationsRepository,
    private readonly events: EventBus,
    private readonly scans: ScanVerifier,
  ) {}

  /**
   * Checks, in order: two vials of the request in one position (400); batch 404, batch state 409
   * (CULTURE_COMPLETE or RELEASED); frozenAt before the final harvest (400); positions outside their box (400); boxes (404); positions taken
   * (409 POSITION_OCCUPIED); banking consent (422 CONSENT_MISSING); tank and biohazard class
   * (422 STORAGE_UNSUITABLE); viable cells left (422 INSUFFICIENT_CELLS); material lots (404, 422 LOT_EXPIRED).
   */
  async cryopreserve(
    user: AuthUser,
    batchId: string,
    dto: CryopreserveDto,
  ): Promise<CryopreservationResultDto> {
    const frozenAt = parseZonedTimestamp(dto.frozenAt) as Date;
    const requested = dto.vials.map((vial, i) => ({
      boxId: vial.boxId,
      row: vial.row,
      col: vial.col,
      field: `vials.${i}`,
    }));
    const twice = positionsNamedTwice(requested);
    if (twice.length > 0) throw validationFailed(twice);

    const run = () =>
      this.transactions.run(actorOf(user), async (tx) => {
        const batch = await this.batches.lockForAction(tx, user, batchId, BatchAction.CRYOPRESERVE);
        const harvestedAt = await this.freezings.finalHarvestAt(batchId, tx.manager);
        if (harvestedAt !== null && frozenAt.getTime() < harvestedAt.getTime()) {
          throw validationFailed([
            { field: 'frozenAt', errors: ['frozenAt must not be before the final harvest'] },
          ]);
        }
        const boxes = await this.placement.boxesFor(requested, tx.manager);
        await this.placement.assertFree(requested, tx.manager);
        // FOR SHARE on the donor: a consent being withdrawn right now either comes first (and this is refused)
        // or waits for these vials, then makes them due at once.
        const consent = await this.donors.requireBankingConsent(tx, batch.donorId, frozenAt);
        this.placement.assertSuitable(boxes.values(), batch.biohazard);

        const totalCells = dto.vials.reduce((sum, vial) => sum + vial.cells, 0);
        const remaining = (batch.viableCellsYielded ?? 0) - batch.cellsDrawn;
        if (totalCells > remaining) {
          throw new DomainError(
            ErrorCode.INSUFFICIENT_CELLS,
            `Only ${remaining} viable cells are left in this batch`,
            {
              requested: totalCells,
              remaining,
            },
          );
        }
        const cryopreservationId = randomUUID();
        const materialLots = await this.materials.recordUsage(tx, {
          lotIds: dto.materialLotIds ?? [],
          batchId,
          eventType: 'CRYOPRESERVATION',
          eventId: cryopreservationId,
          usedAt: frozenAt,
        });

        await this.scheduler.lockDonor(tx, batch.donorId);
        const dueAt = this.scheduler.dueAt(frozenAt, consent, tx.now);
        await this.freezings.insert(
          {
            id: cryopreservationId,
            batchId,
            frozenAt,
            medium: dto.medium,
            dmsoPct: dto.dmsoPct ?? null,
            vialCount: dto.vials.length,
            totalCells,
            recordedBy: user.id,
            recordedAt: tx.now,
          },
          tx.manager,
        );
        await this.freezings.drawCells(batchId, totalCells, tx.now, tx.manager);
        const firstOrdinal = await this.vials.nextOrdinal(batchId, tx.manager);
        const vials: NewVial[] = dto.vials.map((vial, i) => ({
          id: randomUUID(),
          label: vialLabel(batch.din, firstOrdinal + i),
          batchId,
          ordinal: firstOrdinal + i,
          donorId: batch.donorId,
          clinicId: batch.clinicId,
          cryopreservationId,
          cells: vial.cells,
          box: boxes.get(vial.boxId) as Box,
          row: vial.row,
          col: vial.col,
          frozenAt,
          nextReviewAt: dueAt,
          createdBy: user.id,
          createdAt: tx.now,
        }));
        // Each tube is scanned before it goes in: the batch's label or DIN, or the label the vial will carry.
        const batchItem = { subjectType: 'BATCH' as const, subjectId: batchId, itemLabel: batch.din };
        for (const [i, vial] of vials.entries()) {
          const subject = { subjectType: 'VIAL' as const, subjectId: vial.id, itemLabel: vial.label };
          await this.scans.checkHandOff(tx, user, {
            handOff: 'CRYOPRESERVE',
            subject,
            accepted: [subject, batchItem],
            failureSubject: batchItem,
            scan: dto.vials[i].scan,
          });
        }
        await this.vials.insertMany(vials, tx.manager);
        await this.vials.insertEvents(
          vials.map((vial) => ({
            vialId: vial.id,
            event: 'FROZEN' as const,
            at: frozenAt,
            recordedAt: tx.now,
            actorId: user.id,
            actorRole: user.role,
            fromStatus: null,
            toStatus: VialStatus.STORED,
            from: null,
            to: { boxId: vial.box.id, row: vial.row, col: vial.col },
            reason: null,
            details: { cryopreservationId, cells: vial.cells, nextReviewAt: dueAt },
          })),
          tx.manager,
        );
        const reviewOf = await this.scheduler.place(
          tx,
          { id: batch.donorId, clinicId: batch.clinicId },
          vials.map((vial) => ({
            vial: {
              id: vial.id,
              label: vial.label,
              status: VialStatus.STORED,
              reviewId: null,
              nextReviewAt: null,
            },
            dueAt,
          })),
          { reason: `cryopreservation of batch ${batch.din}`, recordInHistory: false },
        );

        const frozen = vials.map((vial) =>
          vialSummary({ ...vial, status: VialStatus.STORED, boxId: vial.box.id, nextReviewAt: dueAt }),
        );
        tx.audit({
          action: 'batch.cryopreserved',
          entityType: 'batch',
          entityId: batchId,
          before: { cellsDrawn: batch.cellsDrawn },
          after: {
            cryopreservationId,
            frozenAt,
            medium: dto.medium,
            dmsoPct: dto.dmsoPct ?? null,
            materialLots,
            cellsDrawn: batch.cellsDrawn + totalCells,
            vials: frozen.map((vial) => ({ ...vial, boxPath: boxes.get(vial.boxId as string)?.path })),
          },
        });
        for (const vial of vials) {
          tx.audit({
            action: 'vial.frozen',
            entityType: 'vial',
            entityId: vial.id,
            before: null,
            after: {
              label: vial.label,
              batchId,
              status: VialStatus.STORED,
              cells: vial.cells,
              position: { boxId: vial.box.id, row: vial.row, col: vial.col },
              frozenAt,
              nextReviewAt: dueAt,
              reviewId: reviewOf.get(vial.id),
            },
          });
        }
        await this.events.publish(
          tx,
          new CellsCryopreserved(batchId, cryopreservationId, frozenAt, dto.equipmentIds ?? []),
        );
        tx.emit({
          type: DomainEvent.VIALS_FROZEN,
          subjectType: 'batch',
          subjectId: batchId,
          payload: { cryopreservationId, donorId: batch.donorId, vialIds: vials.map((vial) => vial.id) },
        });
        return { cryopreservationId, batchId, cellsDrawn: totalCells, vials: frozen };
      });
    return this.scans.recordingMismatch(user, run);
  }
}

/** Two vials of one request in one position: the request contradicts itself (400, naming both entries). */
function positionsNamedTwice(
  positions: readonly { boxId: string; row: number; col: number; field: string }[],
): FieldError[] {
  const first = new Map<string, string>();
  const problems: FieldError[] = [];
  for (const p of positions) {
    const key = `${p.boxId}/${p.row}/${p.col}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, p.field);
    else problems.push({ field: p.field, errors: [`${p.field} names the same position as ${earlier}`] });
  }
  return problems;
}
