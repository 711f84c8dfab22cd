import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DoseStatus } from '../doses/domain/dose-state-machine';

export interface DoseExpiryRow {
  id: string;
  batchId: string;
  clinicId: string;
  din: string;
  label: string;
  kind: string;
  status: DoseStatus;
  expiresAt: Date;
}

/**
 * Doses as the expiry processor needs them. The sweep reads only doses still in play whose expiry falls in
 * the window (partial index doses_live, a range on expires_at), never the history of given doses.
 */
@Injectable()
export class DoseExpiryFactsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async dose(doseId: string, manager: EntityManager): Promise<DoseExpiryRow | null> {
    const rows = await manager.query<DoseExpiryRow[]>(
      `SELECT d.id, d.batch_id AS "batchId", b.clinic_id AS "clinicId", b.din, d.label, d.kind, d.status,
              d.expires_at AS "expiresAt"
         FROM doses d JOIN batches b ON b.id = d.batch_id
        WHERE d.id = $1`,
      [doseId],
    );
    return rows[0] ?? null;
  }

  /** The doses an event's subject stands for: the dose itself, or every dose of a batch (a recall). */
  async doseIdsOfSubject(subjectType: string, subjectId: string): Promise<string[]> {
    if (subjectType === 'dose') return [subjectId];
    if (subjectType !== 'batch') return [];
    const rows = await this.db.query<{ id: string }[]>('SELECT id FROM doses WHERE batch_id = $1', [
      subjectId,
    ]);
    return rows.map((row) => row.id);
  }

  /** Doses not administered (nor otherwise done with) that expire in (from, until]. */
  async liveDoseIdsExpiringBetween(from: Date, until: Date): Promise<string[]> {
    const rows = await this.db.query<{ id: string }[]>(
      `SELECT id FROM doses
        WHERE status IN ('FORMULATED', 'DISPATCHED', 'RECEIVED') AND expires_at > $1 AND expires_at <= $2`,
      [from, until],
    );
    return rows.map((row) => row.id);
  }
}
