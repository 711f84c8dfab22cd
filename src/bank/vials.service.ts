import { Injectable } from '@nestjs/common';
import { canSeeClinic, clinicFilter } from '../auth/clinic-scope';
import { SignatureService } from '../auth/signature.service';
import { UserRow, UsersRepository } from '../auth/users.repository';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Page, toPage } from '../common/pagination/pagination';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { TransactionContext, Transactions } from '../common/transaction/transactions.service';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { validationFailed } from '../common/validation/validation';
import { createdAtCursor } from '../common/pagination/created-at-cursor';
import { LIVE_VIAL_STATUSES, transitionVial, VialAction, VialStatus } from './domain/vial-state-machine';
import { ListVialsQuery } from './dto/list-vials.query';
import { DiscardVialDto, MoveVialDto, ThawVialDto } from './dto/vial-commands.dto';
import { vialView, VialViewDto } from './dto/vial-view.dto';
import { ReviewScheduler } from './review-scheduler.service';
import { VialHolds } from './vial-holds.service';
import { Box, VialPlacement } from './vial-placement.service';
import { VialEventRow, VialRow, VialsRepository } from './vials.repository';
import { ScanVerifier } from '../labels/scan-verifier.service';

/** Who may witness a thaw: CPC staff who handle cells (docs/domain.md, rule 8). */
const WITNESS_ROLES: ReadonlySet<string> = new Set(['technician', 'qa']);

/**
 * Vials in the bank: reads with their full history, moves, witnessed thaws and discards. Every change of state
 * or place is one transaction that writes the vial's history row and its audit entry (entity: the vial).
 *
 * For other bank services: `discardLocked(tx, vials, reason)` discards vials the caller has locked.
 */
@Injectable()
export class VialsService {
  constructor(
    private readonly vials: VialsRepository,
    private readonly placement: VialPlacement,
    private readonly scheduler: ReviewScheduler,
    private readonly users: UsersRepository,
    private readonly signatures: SignatureService,
    private readonly transactions: Transactions,
    private readonly scans: ScanVerifier,
    private readonly holds: VialHolds,
  ) {}

  // ---------------------------------------------------------------- reads

  async get(user: AuthUser, vialId: string): Promise<VialViewDto> {
    return this.withHistory(user, await this.vials.findById(vialId), vialId);
  }

  async getByLabel(user: AuthUser, label: string): Promise<VialViewDto> {
    return this.withHistory(user, await this.vials.findByLabel(label.trim().toUpperCase()), label);
  }

  async list(user: AuthUser, query: ListVialsQuery): Promise<Page<VialViewDto>> {
    const rows = await this.vials.list(
      {
        scopeClinicId: clinicFilter(user),
        batchId: query.batchId ?? null,
        donorId: query.donorId ?? null,
        status: query.status ?? null,
      },
      query.limit + 1,
      createdAtCursor(query.cursor),
    );
    const shown = rows.slice(0, query.limit);
    const history = groupEvents(await this.vials.eventsOf(shown.map((row) => row.id)));
    return toPage(
      rows,
      query.limit,
      (row) => [row.cursorAt, row.id],
      (row) => vialView(row, history.get(row.id) ?? []),
    );
  }

  // ---------------------------------------------------------------- commands

  /** Checks, in order: vial 404, state 409, position 400/404/409, storage 422 STORAGE_UNSUITABLE. */
  async move(user: AuthUser, vialId: string, dto: MoveVialDto): Promise<VialViewDto> {
    const run = () =>
      this.transactions.run(actorOf(user), async (tx) => {
        const vial = await this.lockVisible(tx, user, vialId);
        transitionVial(vial.status, VialAction.MOVE);
        await this.checkScan(tx, user, 'VIAL_MOVE', vial, dto.scan);
        const target = { boxId: dto.boxId, row: dto.row, col: dto.col };
        const boxes = await this.placement.boxesFor([{ ...target, field: 'boxId' }], tx.manager);
        await this.placement.assertFree([target], tx.manager);
        const box = boxes.get(dto.boxId) as Box;
        this.placement.assertSuitable([box], vial.batchBiohazard);
        await this.vials.move(vial.id, box, dto.row, dto.col, tx.now, tx.manager);
        const from = { boxId: vial.boxId, row: vial.row, col: vial.col };
        await this.vials.insertEvents(
          [
            {
              vialId: vial.id,
              event: 'MOVED',
              at: tx.now,
              recordedAt: tx.now,
              actorId: user.id,
              actorRole: user.role,
              fromStatus: vial.status,
              toStatus: vial.status,
              from,
              to: target,
              reason: dto.reason,
              details: { fromBoxPath: vial.boxPath, toBoxPath: box.path },
            },
          ],
          tx.manager,
        );
        tx.audit({
          action: 'vial.moved',
          entityType: 'vial',
          entityId: vial.id,
          before: { label: vial.label, status: vial.status, position: from },
          after: { label: vial.label, status: vial.status, position: target },
          reason: dto.reason,
        });
      });
    await this.scans.recordingMismatch(user, run);
    return this.get(user, vialId);
  }

  /**
   * Rule 8: a thaw is witnessed by a second person who signs with their own password. Checks, in order: vial
   * 404, state 409 (only a RESERVED vial is thawed), the thawer naming themself (422 SAME_PERSON), the witness
   * (422 WITNESS_REQUIRED: unknown, deactivated, not technician or qa, or a wrong password, which counts toward
   * the witness's lock-out; a locked witness is 429), thawedAt not before freezing (400).
   *
   * The witness signs before the transaction: password hashing is slow and a failed signature is recorded in a
   * transaction of its own, so neither happens while the vial is locked. The state is checked again under the lock.
   */
  async thaw(user: AuthUser, vialId: string, dto: ThawVialDto): Promise<VialViewDto> {
    const thawedAt = eventTime(dto.thawedAt, 'thawedAt');
    const before = await this.vials.findById(vialId);
    if (!before || !canSeeClinic(user, before.clinicId)) throw notFound('Vial', vialId);
    transitionVial(before.status, VialAction.THAW);
    const witness = await this.authenticateWitness(user, dto);
    const run = () =>
      this.transactions.run(actorOf(user), async (tx) => {
        const vial = await this.lockForDonorCommand(tx, user, vialId);
        const status = transitionVial(vial.status, VialAction.THAW);
        // A hold placed after the reservation (an excursion, a suspected infection) stops the thaw too.
        await this.holds.assertNotHeld([vial], 'thawed', tx.manager);
        if (thawedAt.getTime() < vial.frozenAt.getTime()) {
          throw validationFailed([
            { field: 'thawedAt', errors: ['thawedAt must not be before the vial was frozen'] },
          ]);
        }
        await this.checkScan(tx, user, 'THAW', vial, dto.scan);
        await this.vials.markThawed(
          vial.id,
          {
            thawedAt,
            thawedBy: user.id,
            witnessId: witness.id,
            postThawViabilityPct: dto.postThawViabilityPct,
            at: tx.now,
          },
          tx.manager,
        );
        const position = { boxId: vial.boxId, row: vial.row, col: vial.col };
        const witnessedBy = { id: witness.id, name: witness.name, role: witness.role };
        await this.vials.insertEvents(
          [
            {
              vialId: vial.id,
              event: 'THAWED',
              at: thawedAt,
              recordedAt: tx.now,
              actorId: user.id,
              actorRole: user.role,
              fromStatus: vial.status,
              toStatus: status,
              from: position,
              to: null,
              reason: null,
              details: {
                postThawViabilityPct: dto.postThawViabilityPct,
                witness: witnessedBy,
                boosterId: vial.boosterId,
              },
            },
          ],
          tx.manager,
        );
        tx.audit({
          action: 'vial.thawed',
          entityType: 'vial',
          entityId: vial.id,
          before: { label: vial.label, status: vial.status, position },
          after: {
            label: vial.label,
            status,
            thawedAt,
            postThawViabilityPct: dto.postThawViabilityPct,
            witness: witnessedBy,
            boosterId: vial.boosterId,
            positionFreed: position,
          },
        });
        await this.scheduler.closeEmptied(
          tx,
          vial.donorId,
          vial.reviewId ? [vial.reviewId] : [],
          `vial ${vial.label} thawed`,
        );
      });
    await this.scans.recordingMismatch(user, run);
    return this.get(user, vialId);
  }

  /** The hand-off's scan of the vial's label (docs/labels.md): 422 IDENTITY_MISMATCH or SCAN_REQUIRED. */
  private checkScan(
    tx: TransactionContext,
    user: AuthUser,
    handOff: 'VIAL_MOVE' | 'THAW',
    vial: VialRow,
    scan: string | undefined,
  ): Promise<void> {
    const subject = { subjectType: 'VIAL' as const, subjectId: vial.id, itemLabel: vial.label };
    return this.scans.checkHandOff(tx, user, { handOff, subject, scan });
  }

  /** QA takes a vial out of the bank for good: STORED or RESERVED -> DISCARDED (409 otherwise); position freed. */
  async discard(user: AuthUser, vialId: string, dto: DiscardVialDto): Promise<VialViewDto> {
    await this.transactions.run(actorOf(user), async (tx) => {
      const vial = await this.lockForDonorCommand(tx, user, vialId);
      await this.discardLocked(tx, [vial], dto.reason);
    });
    return this.get(user, vialId);
  }

  /**
   * Discards those of the vials still in the tanks, for another module's decision (QA found an excursion
   * compromised them, docs/environment.md); the ones thawed or discarded already are answered as not banked.
   * Takes each donor's bank lock in id order, then the vials', the order of every bank command.
   */
  async discardStillBanked(
    tx: TransactionContext,
    vialIds: readonly string[],
    reason: string,
    details: Record<string, unknown>,
  ): Promise<{ discarded: string[]; notBanked: { id: string; label: string; status: VialStatus }[] }> {
    if (vialIds.length === 0) return { discarded: [], notBanked: [] };
    const peek = await this.vials.findByIds(vialIds, tx.manager);
    for (const donorId of [...new Set(peek.map((vial) => vial.donorId))].sort()) {
      await this.scheduler.lockDonor(tx, donorId);
    }
    const locked = await this.vials.lockByIds(vialIds, tx.manager);
    const banked = locked.filter((vial) => LIVE_VIAL_STATUSES.includes(vial.status));
    await this.discardLocked(tx, banked, reason, details);
    return {
      discarded: banked.map((vial) => vial.id),
      notBanked: locked
        .filter((vial) => !LIVE_VIAL_STATUSES.includes(vial.status))
        .map((vial) => ({ id: vial.id, label: vial.label, status: vial.status })),
    };
  }

  /**
   * Discards vials the caller has locked (under the donor's bank lock): 409 when one is not in the tank. Frees
   * their positions, writes history and audit, and closes reviews left empty.
   */
  async discardLocked(
    tx: TransactionContext,
    vials: readonly VialRow[],
    reason: string,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    if (vials.length === 0) return;
    for (const vial of vials) transitionVial(vial.status, VialAction.DISCARD);
    const status = VialStatus.DISCARDED;
    const actorId = tx.actor.id as string;
    await this.vials.markDiscarded(
      vials.map((vial) => vial.id),
      actorId,
      reason,
      tx.now,
      tx.manager,
    );
    await this.vials.insertEvents(
      vials.map((vial) => ({
        vialId: vial.id,
        event: 'DISCARDED' as const,
        at: tx.now,
        recordedAt: tx.now,
        actorId,
        actorRole: tx.actor.role,
        fromStatus: vial.status,
        toStatus: status,
        from: { boxId: vial.boxId, row: vial.row, col: vial.col },
        to: null,
        reason,
        details: { ...details, ...(vial.boosterId ? { boosterId: vial.boosterId } : {}) },
      })),
      tx.manager,
    );
    for (const vial of vials) {
      const position = { boxId: vial.boxId, row: vial.row, col: vial.col };
      tx.audit({
        action: 'vial.discarded',
        entityType: 'vial',
        entityId: vial.id,
        before: { label: vial.label, status: vial.status, position, boosterId: vial.boosterId },
        after: { label: vial.label, status, discardedAt: tx.now, positionFreed: position, ...details },
        reason,
      });
    }
    const reviewIds = vials.map((vial) => vial.reviewId).filter((id): id is string => id !== null);
    await this.scheduler.closeEmptied(tx, vials[0].donorId, reviewIds, `vials discarded: ${reason}`);
  }

  // ---------------------------------------------------------------- helpers

  private async withHistory(user: AuthUser, vial: VialRow | null, key: string): Promise<VialViewDto> {
    if (!vial || !canSeeClinic(user, vial.clinicId)) throw notFound('Vial', key);
    return vialView(vial, await this.vials.eventsOf([vial.id]));
  }

  private async lockVisible(tx: TransactionContext, user: AuthUser, vialId: string): Promise<VialRow> {
    const vial = await this.vials.lockById(vialId, tx.manager);
    if (!vial || !canSeeClinic(user, vial.clinicId)) throw notFound('Vial', vialId);
    return vial;
  }

  /**
   * Commands that may empty a storage review take the donor's bank lock before the vial's, the order every bank
   * command follows, so they queue behind a consent change or a review decision of the same donor.
   */
  private async lockForDonorCommand(
    tx: TransactionContext,
    user: AuthUser,
    vialId: string,
  ): Promise<VialRow> {
    const peek = await this.vials.findById(vialId, tx.manager);
    if (!peek || !canSeeClinic(user, peek.clinicId)) throw notFound('Vial', vialId);
    await this.scheduler.lockDonor(tx, peek.donorId);
    return this.lockVisible(tx, user, vialId);
  }

  private async authenticateWitness(user: AuthUser, dto: ThawVialDto): Promise<UserRow> {
    const named = await this.users.findByEmail(dto.witnessEmail.trim());
    if (named?.id === user.id) {
      throw new DomainError(
        ErrorCode.SAME_PERSON,
        'The witness of a thaw must be a second person, not the thawer',
      );
    }
    // One answer for an unknown e-mail, a deactivated or unsuitable account and a wrong password, after the
    // same counted check for all: the answer never tells which e-mails belong to staff.
    const witness = await this.signatures.authenticateOtherPerson(
      dto.witnessEmail.trim(),
      dto.witnessPassword,
      user,
    );
    if (!witness || !WITNESS_ROLES.has(witness.role)) {
      throw witnessRequired(
        'The witness must be an active technician or qa user signing with their own password',
      );
    }
    return witness;
  }
}

function witnessRequired(message: string): DomainError {
  return new DomainError(ErrorCode.WITNESS_REQUIRED, message, { field: 'witnessEmail' });
}

function eventTime(value: string, field: string): Date {
  const at = parseZonedTimestamp(value);
  if (!at)
    throw validationFailed([{ field, errors: [`${field} must be an ISO 8601 timestamp with a time zone`] }]);
  return at;
}

export function groupEvents(events: readonly VialEventRow[]): Map<string, VialEventRow[]> {
  const groups = new Map<string, VialEventRow[]>();
  for (const event of events) {
    const group = groups.get(event.vialId);
    if (group) group.push(event);
    else groups.set(event.vialId, [event]);
  }
  return groups;
}
