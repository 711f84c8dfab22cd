import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SerialFacts } from './domain/scan-verdict';
import { ScanEntity } from './scan.entity';

/** The `scans` table, and the serial look-up every scan needs; the only code that touches `scans`. */
@Injectable()
export class ScansRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(scan: ScanEntity, manager: EntityManager): Promise<void> {
    await manager.insert(ScanEntity, scan);
  }

  /** What the records say of a printed serial: its item and whether its run was voided; null when unknown. */
  async serialFacts(serial: string, manager: EntityManager = this.db.manager): Promise<SerialFacts | null> {
    const rows = await manager.query<SerialFacts[]>(
      `SELECT s.serial, s.subject_type AS "subjectType", s.subject_id AS "subjectId", s.item_label AS "itemLabel",
              (v.run_id IS NOT NULL) AS voided
         FROM label_serials s LEFT JOIN label_voids v ON v.run_id = s.run_id
        WHERE s.serial = $1`,
      [serial],
    );
    return rows[0] ?? null;
  }

  /** Every scan of the given subjects, oldest first (custody timelines). */
  ofSubjects(subjectIds: readonly string[]): Promise<ScanEntity[]> {
    if (subjectIds.length === 0) return Promise.resolve([]);
    return this.db.manager
      .createQueryBuilder(ScanEntity, 's')
      .where('s.subject_id IN (:...ids)', { ids: [...subjectIds] })
      .orderBy('s.scanned_at')
      .addOrderBy('s.id')
      .getMany();
  }
}
