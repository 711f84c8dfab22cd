import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { BatchStatus } from './domain/batch-state-machine';
import { InjectionPlanEntity } from './injection-plan.entity';

export interface PlanSubject {
  id: string;
  din: string;
  clinicId: string;
  status: BatchStatus;
  targetCellCount: number;
}

const COLUMNS = `id, batch_id AS "batchId", version, planned_at AS "plannedAt", knees,
  cells_per_knee AS "cellsPerKnee", planned_by AS "plannedBy", recorded_at AS "recordedAt"`;

@Injectable()
export class InjectionPlansRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The plan in force: the highest version. */
  async current(
    batchId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<InjectionPlanEntity | null> {
    const rows: InjectionPlanEntity[] = await manager.query(
      `SELECT ${COLUMNS} FROM injection_plans WHERE batch_id = $1 ORDER BY version DESC LIMIT 1`,
      [batchId],
    );
    return rows[0] ?? null;
  }

  async insert(row: InjectionPlanEntity, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO injection_plans (id, batch_id, version, planned_at, knees, cells_per_knee, planned_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        row.id,
        row.batchId,
        row.version,
        row.plannedAt,
        row.knees,
        row.cellsPerKnee,
        row.plannedBy,
        row.recordedAt,
      ],
    );
  }

  /** The batch a plan belongs to, read without a lock (a flag job must not queue behind a step). */
  async findSubject(batchId: string, manager: EntityManager = this.db.manager): Promise<PlanSubject | null> {
    const rows: PlanSubject[] = await manager.query(
      `SELECT id, din, clinic_id AS "clinicId", status, target_cell_count AS "targetCellCount"
       FROM batches WHERE id = $1`,
      [batchId],
    );
    return rows[0] ?? null;
  }

  /** Batches with a plan in one of `statuses`: those whose visit can still be at risk. */
  async batchIdsWithPlanIn(statuses: readonly BatchStatus[]): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT b.id FROM batches b WHERE b.status = ANY($1::text[])
         AND EXISTS (SELECT 1 FROM injection_plans p WHERE p.batch_id = b.id)`,
      [statuses],
    );
    return rows.map((row) => row.id);
  }
}
