import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReceiptDeviation } from './domain/receipt-assessment';
import { HarvestEntity, Tissue } from './harvest.entity';

export interface NewHarvest {
  donorId: string;
  clinicId: string;
  tissue: Tissue;
  volumeMl: number;
  collectedAt: Date;
  collectedBy: string;
  createdAt: Date;
}

export interface HarvestReceipt {
  status: 'RECEIVED' | 'REJECTED';
  receivedAt: Date;
  receivedBy: string;
  temperatureC: number;
  intact: boolean;
  rejectionReason: string | null;
  deviations: ReceiptDeviation[];
}

/** The `harvests` table (HarvestEntity); the only code that reads or writes it. */
@Injectable()
export class HarvestsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(harvest: NewHarvest, manager: EntityManager): Promise<HarvestEntity> {
    const { identifiers } = await manager.insert(HarvestEntity, harvest);
    return manager.findOneByOrFail(HarvestEntity, { id: identifiers[0].id as string });
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<HarvestEntity | null> {
    return manager.findOneBy(HarvestEntity, { id });
  }

  /** The harvest's row, locked to the end of the transaction: receipt and batch creation queue on it. */
  lockById(id: string, manager: EntityManager): Promise<HarvestEntity | null> {
    return manager.findOne(HarvestEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Only a harvest still COLLECTED takes a receipt; null when it is not (the caller holds the row lock). */
  async recordReceipt(
    id: string,
    receipt: HarvestReceipt,
    manager: EntityManager,
  ): Promise<HarvestEntity | null> {
    const { affected } = await manager.update(HarvestEntity, { id, status: 'COLLECTED' }, receipt);
    return affected ? manager.findOneByOrFail(HarvestEntity, { id }) : null;
  }
}
