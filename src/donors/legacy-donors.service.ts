import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { userIdOf } from '../common/transaction/actor';
import { TransactionContext } from '../common/transaction/transactions.service';
import { generateDonorCode } from './domain/donor-code';
import { KnownDonor, LegacyDonorsRepository, NewLegacyDonor } from './legacy-donors.repository';

export type { KnownDonor } from './legacy-donors.repository';

const CODE_ATTEMPTS = 5;

/**
 * Donors of a legacy bank (docs/imports.md): matched by clinic and `externalRef`, created when unknown. A legacy
 * donor has no consent or screening recorded here; the paper record QA accepts with the batch stands for them.
 * For the imports module, inside its own transaction.
 */
@Injectable()
export class LegacyDonorsService {
  constructor(private readonly donors: LegacyDonorsRepository) {}

  /** Every donor with one of these references, oldest first (a reference may name several: the caller refuses). */
  findByRefs(
    refs: readonly { clinicId: string; externalRef: string }[],
    manager: EntityManager,
  ): Promise<KnownDonor[]> {
    return this.donors.findByRefs(refs, manager);
  }

  /** Registers the donors, each with a code of its own, under one audit entry. */
  async create(
    tx: TransactionContext,
    donors: readonly Omit<NewLegacyDonor, 'code'>[],
    importId: string,
  ): Promise<KnownDonor[]> {
    const created: KnownDonor[] = [];
    let pending = donors.map((donor) => ({ ...donor, code: generateDonorCode() }));
    for (let attempt = 0; attempt < CODE_ATTEMPTS && pending.length > 0; attempt++) {
      const inserted = await this.donors.insertMany(pending, userIdOf(tx.actor), tx.now, tx.manager);
      created.push(...inserted);
      const taken = new Set(inserted.map((donor) => donor.code));
      pending = pending.filter((d) => !taken.has(d.code)).map((d) => ({ ...d, code: generateDonorCode() }));
    }
    if (pending.length > 0) throw new DomainError(ErrorCode.UNAVAILABLE, 'No free donor code could be drawn');
    // One entry for the chunk's donors (see LegacyVialsService's audit): each listed with all it holds.
    if (created.length > 0) {
      tx.audit({
        action: 'donor.legacy_imported',
        entityType: 'import',
        entityId: importId,
        before: null,
        after: { donors: created },
      });
    }
    return created;
  }
}
