import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { userIdOf } from '../common/transaction/actor';
import { TransactionContext } from '../common/transaction/transactions.service';
import { BatchOrigin, BatchStatus } from './domain/batch-state-machine';
import { dinCheckCharacter } from './domain/din';
import { BatchesRepository } from './batches.repository';
import { KnownBatch, LegacyBatchesRepository } from './legacy-batches.repository';

export type { KnownBatch } from './legacy-batches.repository';

/** The product a legacy bank's batches are recorded as: the facility's cultured adipose-derived stem cells. */
export const LEGACY_PRODUCT_TYPE = 'CULTURED_ADSC';

/**
 * Legacy batches (docs/imports.md): a batch of a legacy bank, known by its DIN and donor, created by the import
 * of its vials. It has no harvest or culture record here; it waits as CULTURE_COMPLETE until QA accepts its paper
 * record (BatchDecisionsService.acceptLegacy), and the state machine allows it nothing else but a discard or a
 * deviation (assertOriginAllows). For the imports module, inside its own transaction.
 */
@Injectable()
export class LegacyBatchesService {
  constructor(
    private readonly batches: LegacyBatchesRepository,
    private readonly lifecycle: BatchesRepository,
  ) {}

  /** The batches these DINs name already, cultured or legacy, by DIN. */
  async findByDins(dins: readonly string[], manager: EntityManager): Promise<Map<string, KnownBatch>> {
    const rows = await this.batches.findByDins([...new Set(dins)], manager);
    return new Map(rows.map((row) => [row.din, row]));
  }

  /** Creates the legacy batches (one audit entry for them all); answers their ids by DIN. */
  async create(
    tx: TransactionContext,
    batches: readonly { din: string; donorId: string; clinicId: string }[],
    importId: string,
  ): Promise<Map<string, string>> {
    if (batches.length === 0) return new Map();
    const specification = await this.lifecycle.findActiveSpecification(LEGACY_PRODUCT_TYPE, tx.manager);
    if (!specification) {
      throw new DomainError(
        ErrorCode.INVALID_TRANSITION,
        `No specification is in force for ${LEGACY_PRODUCT_TYPE}`,
      );
    }
    const inserted = await this.batches.insertMany(
      batches.map((b) => ({ ...b, dinCheck: dinCheckCharacter(b.din) })),
      { id: specification.id, productType: LEGACY_PRODUCT_TYPE },
      userIdOf(tx.actor),
      tx.now,
      tx.manager,
    );
    if (inserted.length !== batches.length) {
      // The import holds the legacy bank's lock, so only a batch created here meanwhile can be in the way.
      throw new DomainError(
        ErrorCode.DUPLICATE,
        'A batch with one of these DINs was created meanwhile; retry',
      );
    }
    const byDin = new Map(batches.map((b) => [b.din, b]));
    // One entry for the chunk's batches (see LegacyVialsService's audit), each listed with all it holds.
    tx.audit({
      action: 'batch.legacy_registered',
      entityType: 'import',
      entityId: importId,
      before: null,
      after: {
        batches: inserted.map((row) => ({
          id: row.id,
          din: row.din,
          origin: BatchOrigin.LEGACY,
          status: BatchStatus.CULTURE_COMPLETE,
          donorId: byDin.get(row.din)?.donorId,
          clinicId: byDin.get(row.din)?.clinicId,
          productType: LEGACY_PRODUCT_TYPE,
          specificationId: specification.id,
        })),
      },
    });
    return new Map(inserted.map((row) => [row.din, row.id]));
  }

  /** Records the cells banked in newly imported vials as the legacy batches' yield, all drawn. */
  addBankedCells(tx: TransactionContext, cellsByBatch: ReadonlyMap<string, number>): Promise<void> {
    return this.batches.addBankedCells(cellsByBatch, tx.now, tx.manager);
  }
}
