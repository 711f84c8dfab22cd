import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BatchStatus } from '../batches/domain/batch-state-machine';
import { FinalHarvestFacts } from './domain/signed-record';
import { BatchDecision } from './dto/decide-batch.dto';

/** The few facts about a batch a decision is checked against before the signer is asked for a password. */
export interface DecisionTarget {
  id: string;
  din: string;
  status: BatchStatus;
  clinicId: string;
}

export interface NewBatchDecision {
  batchId: string;
  decision: BatchDecision;
  signerId: string;
  signerName: string;
  meaning: string;
  reason: string | null;
  signedAt: Date;
  recordHash: string;
}

@Injectable()
export class BatchDecisionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Read without a lock: the command re-reads everything under the batch's lock after signing. */
  async findTarget(
    batchId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<DecisionTarget | null> {
    const rows = await manager.query<DecisionTarget[]>(
      `SELECT id, din, status, clinic_id AS "clinicId" FROM batches WHERE id = $1`,
      [batchId],
    );
    return rows[0] ?? null;
  }

  async existsFor(batchId: string, manager: EntityManager = this.db.manager): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM batch_decisions WHERE batch_id = $1', [
      batchId,
    ]);
    return rows.length > 0;
  }

  /** The batch's current (uncorrected) final harvest: what a release signs and dates the shelf life from. */
  async currentFinalHarvest(
    batchId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<FinalHarvestFacts | null> {
    const rows = await manager.query<FinalHarvestFacts[]>(
      `SELECT id, performed_at AS "performedAt", total_cells AS "totalCells", viability_pct AS "viabilityPct",
              viable_cells AS "viableCells"
         FROM batch_final_harvests WHERE batch_id = $1 AND superseded_by IS NULL`,
      [batchId],
    );
    return rows[0] ?? null;
  }

  async insert(decision: NewBatchDecision, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO batch_decisions (batch_id, decision, signer_id, signer_name, meaning, reason, signed_at, record_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        decision.batchId,
        decision.decision,
        decision.signerId,
        decision.signerName,
        decision.meaning,
        decision.reason,
        decision.signedAt,
        decision.recordHash,
      ],
    );
  }
}
