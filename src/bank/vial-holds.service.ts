import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { TransactionContext } from '../common/transaction/transactions.service';
import { VialHoldEntity } from './vial-hold.entity';
import { HoldSource, VialHoldRecord, VialHoldsRepository } from './vial-holds.repository';

export type { HoldSource, VialHoldRecord } from './vial-holds.repository';

/**
 * Holds on vials (docs/environment.md, "The hold mechanism"): any module that must keep vials from being drawn
 * while it investigates (an excursion, a suspected infection) places a hold under its own source and releases
 * it when it decides. A vial with an open hold of any source is not available for a booster. Every hold and
 * release is audited on the vial, inside the caller's transaction.
 */
@Injectable()
export class VialHolds {
  constructor(private readonly holds: VialHoldsRepository) {}

  /** Holds the vials for `source`; the ids newly held (those it holds already are skipped). */
  async place(
    tx: TransactionContext,
    hold: { source: HoldSource; vialIds: readonly string[]; reason: string },
  ): Promise<string[]> {
    if (hold.vialIds.length === 0) return [];
    const placed = await this.holds.place(
      hold.source,
      [...new Set(hold.vialIds)],
      { reason: hold.reason, at: tx.now, by: tx.actor.id },
      tx.manager,
    );
    for (const vialId of placed) {
      tx.audit({
        action: 'vial.held',
        entityType: 'vial',
        entityId: vialId,
        before: null,
        after: { source: hold.source, held: true },
        reason: hold.reason,
      });
    }
    return placed;
  }

  /** Releases every open hold of `source`; the vial ids released. */
  async release(tx: TransactionContext, source: HoldSource, reason: string): Promise<string[]> {
    const released = await this.holds.release(source, { reason, at: tx.now, by: tx.actor.id }, tx.manager);
    for (const vialId of released) {
      tx.audit({
        action: 'vial.hold_released',
        entityType: 'vial',
        entityId: vialId,
        before: { source, held: true },
        after: { source, held: false },
        reason,
      });
    }
    return released;
  }

  /** The open holds on these vials, for a check (a reservation) or a view. */
  heldOf(vialIds: readonly string[], manager?: EntityManager): Promise<VialHoldEntity[]> {
    return vialIds.length === 0 ? Promise.resolve([]) : this.holds.openOf(vialIds, manager);
  }

  /**
   * A held vial stays in the tank: neither reserved for a booster nor thawed (422 VIAL_NOT_AVAILABLE, naming each
   * hold). Call it with the vials locked, so a hold placed meanwhile (it locks them FOR SHARE) is seen.
   */
  async assertNotHeld(
    vials: readonly { id: string; label: string }[],
    action: string,
    manager: EntityManager,
  ): Promise<void> {
    const holds = await this.heldOf(
      vials.map((vial) => vial.id),
      manager,
    );
    if (holds.length === 0) return;
    const labels = new Map(vials.map((vial) => [vial.id, vial.label]));
    throw new DomainError(
      ErrorCode.VIAL_NOT_AVAILABLE,
      `Vials on hold cannot be ${action} until their holds are released`,
      {
        holds: holds.map((hold) => ({
          vial: labels.get(hold.vialId),
          source: { type: hold.sourceType, id: hold.sourceId },
          reason: hold.reason,
          placedAt: hold.placedAt,
        })),
      },
    );
  }

  /** Every hold a source placed, released or not, with each vial's label and status. */
  ofSource(source: HoldSource, manager?: EntityManager): Promise<VialHoldRecord[]> {
    return this.holds.ofSource(source, manager);
  }
}
