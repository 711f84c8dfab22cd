import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
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

  /** Every hold a source placed, released or not, with each vial's label and status. */
  ofSource(source: HoldSource, manager?: EntityManager): Promise<VialHoldRecord[]> {
    return this.holds.ofSource(source, manager);
  }
}
