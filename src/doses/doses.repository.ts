import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { CREATED_AT_CURSOR_EXPRESSION } from '../common/pagination/created-at-cursor';
import { ReceiptDeviation } from './domain/cold-chain';
import { DoseKind } from './domain/dose-label';
import { DoseStatus, UNDELIVERED_DOSE_STATUSES } from './domain/dose-state-machine';
import { InjectionSite } from './domain/injection-site';
import { DoseEntity } from './dose.entity';

export type NewDose = Pick<
  DoseEntity,
  | 'id'
  | 'batchId'
  | 'label'
  | 'kind'
  | 'boosterId'
  | 'cells'
  | 'volumeMl'
  | 'formulatedAt'
  | 'expiresAt'
  | 'formulatedBy'
  | 'createdAt'
>;

export interface DoseReceipt {
  status: DoseStatus;
  receivedAt: Date;
  temperatureC: number;
  intact: boolean;
  deviations: ReceiptDeviation[];
}

/** A dose of a list page, with the key of the list's cursor. */
export interface ListedDose {
  dose: DoseEntity;
  cursorAt: string;
}

/** The `doses` table (DoseEntity); the only code that reads or writes it. */
@Injectable()
export class DosesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findById(id: string, manager: EntityManager = this.db.manager): Promise<DoseEntity | null> {
    return manager.findOneBy(DoseEntity, { id });
  }

  /** The dose, locked until the transaction ends: every command on a dose queues on this row. */
  lockById(id: string, manager: EntityManager): Promise<DoseEntity | null> {
    return manager.findOne(DoseEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** How many doses of a kind the batch has: the next label's number, read under the batch's lock. */
  countOfKind(batchId: string, kind: DoseKind, manager: EntityManager): Promise<number> {
    return manager.countBy(DoseEntity, { batchId, kind });
  }

  async insert(dose: NewDose, manager: EntityManager): Promise<DoseEntity> {
    await manager.insert(DoseEntity, dose);
    return manager.findOneByOrFail(DoseEntity, { id: dose.id });
  }

  async markDispatched(id: string, dispatchedAt: Date, manager: EntityManager): Promise<void> {
    await manager.update(DoseEntity, { id }, { status: DoseStatus.DISPATCHED, dispatchedAt });
  }

  async markReceived(id: string, receipt: DoseReceipt, manager: EntityManager): Promise<void> {
    await manager.update(
      DoseEntity,
      { id },
      {
        status: receipt.status,
        receivedAt: receipt.receivedAt,
        receiptTemperatureC: receipt.temperatureC,
        receiptIntact: receipt.intact,
        receiptDeviations: receipt.deviations,
      },
    );
  }

  async markAdministered(
    id: string,
    administration: { administeredAt: Date; administeredBy: string; site: InjectionSite },
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(DoseEntity, { id }, { status: DoseStatus.ADMINISTERED, ...administration });
  }

  async markDestroyed(id: string, destroyedAt: Date, reason: string, manager: EntityManager): Promise<void> {
    await manager.update(
      DoseEntity,
      { id },
      { status: DoseStatus.DESTROYED, destroyedAt, destructionReason: reason },
    );
  }

  /** The batch's doses not yet given, locked: a recall and a bedside administration cannot cross. */
  lockUndeliveredOfBatch(batchId: string, manager: EntityManager): Promise<DoseEntity[]> {
    return manager.find(DoseEntity, {
      where: { batchId, status: In([...UNDELIVERED_DOSE_STATUSES]) },
      order: { label: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async markRecalled(ids: string[], recalledAt: Date, reason: string, manager: EntityManager): Promise<void> {
    await manager.update(
      DoseEntity,
      { id: In(ids) },
      { status: DoseStatus.RECALLED, recalledAt, recallReason: reason },
    );
  }

  /** Newest first; `after` is the cursor key of the previous page's last row. */
  async listOfBatch(
    batchId: string,
    limit: number,
    after: [string, string] | null,
    manager: EntityManager = this.db.manager,
  ): Promise<ListedDose[]> {
    const query = manager
      .createQueryBuilder(DoseEntity, 'd')
      .addSelect(CREATED_AT_CURSOR_EXPRESSION, 'cursorAt')
      .where('d.batch_id = :batchId', { batchId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(limit);
    if (after) {
      query.andWhere('(d.created_at, d.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid))', {
        at: after[0],
        id: after[1],
      });
    }
    const { entities, raw } = await query.getRawAndEntities<{ cursorAt: string }>();
    return entities.map((dose, index) => ({ dose, cursorAt: raw[index].cursorAt }));
  }

  /** Doses administered in any of the given [from, to) ranges (follow-up windows opening or open). */
  administeredIn(ranges: readonly { from: Date; to: Date }[]): Promise<DoseEntity[]> {
    if (ranges.length === 0) return Promise.resolve([]);
    const query = this.db.manager.createQueryBuilder(DoseEntity, 'd').where('d.status = :status', {
      status: 'ADMINISTERED',
    });
    query.andWhere(
      `(${ranges.map((_, i) => `(d.administered_at >= :from${i} AND d.administered_at < :to${i})`).join(' OR ')})`,
      Object.fromEntries(
        ranges.flatMap((r, i) => [
          [`from${i}`, r.from],
          [`to${i}`, r.to],
        ]),
      ),
    );
    return query.getMany();
  }
}
