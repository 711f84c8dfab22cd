import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BatchDecision } from './dto/decide-batch.dto';

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

  async existsFor(batchId: string, manager: EntityManager = this.db.manager): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM batch_decisions WHERE batch_id = $1', [
      batchId,
    ]);
    return rows.length > 0;
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
