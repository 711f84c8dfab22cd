import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { reconcile } from './domain/reconciliation';
import { ReconcileBoxDto, ReconciliationResultDto } from './dto/reconciliation.dto';
import { ReconciliationsRepository } from './reconciliations.repository';
import { VialPlacement } from './vial-placement.service';

/**
 * Reconciliation: the physical check of a box against the record (GMP inventory control). The result is saved and
 * audited as the record of the check; it changes no vial (a misplaced vial is moved by a technician, with a reason).
 */
@Injectable()
export class ReconciliationsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly placement: VialPlacement,
    private readonly reconciliations: ReconciliationsRepository,
  ) {}

  /** 404 when boxId is not a box. */
  async reconcile(user: AuthUser, dto: ReconcileBoxDto): Promise<ReconciliationResultDto> {
    const scanned = [...new Set(dto.scannedLabels.map((label) => label.trim().toUpperCase()))];
    return this.transactions.run(actorOf(user), async (tx) => {
      await this.placement.requireBox(dto.boxId, tx.manager);
      const recorded = await this.reconciliations.liveVialsInBoxOrLabelled(dto.boxId, scanned, tx.manager);
      const result = reconcile(dto.boxId, scanned, recorded);
      const id = randomUUID();
      await this.reconciliations.insert(
        {
          id,
          boxId: dto.boxId,
          scannedLabels: scanned,
          ...result,
          performedBy: user.id,
          performedAt: tx.now,
        },
        tx.manager,
      );
      tx.audit({
        action: 'bank.box_reconciled',
        entityType: 'storage_unit',
        entityId: dto.boxId,
        before: null,
        after: { reconciliationId: id, scanned: scanned.length, ...result },
      });
      return { id, boxId: dto.boxId, performedAt: tx.now, ...result };
    });
  }
}
