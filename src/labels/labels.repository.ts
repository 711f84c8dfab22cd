import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { LabelRunEntity } from './label-run.entity';
import { LabelSerialEntity } from './label-serial.entity';
import { LabelVoidEntity } from './label-void.entity';
import { ProductCodeEntity, ProductForm } from './product-code.entity';

export interface LabelRunRow extends LabelRunEntity {
  serials: string[];
  voided: boolean;
}

/** `product_codes`, `label_runs`, `label_serials` and `label_voids`; the only code that touches them. */
@Injectable()
export class LabelsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async upsertProductCode(row: ProductCodeEntity, manager: EntityManager): Promise<ProductCodeEntity | null> {
    const before = await manager.findOne(ProductCodeEntity, {
      where: { form: row.form },
      lock: { mode: 'pessimistic_write' },
    });
    await manager.upsert(ProductCodeEntity, row, ['form']);
    return before;
  }

  productCode(form: ProductForm): Promise<ProductCodeEntity | null> {
    return this.db.manager.findOneBy(ProductCodeEntity, { form });
  }

  /**
   * Serialises the print runs of one item (a transaction-scoped advisory lock on its id), so two requests
   * for the same item number their runs one after the other; the unique run number is the last word.
   */
  async lockSubject(subjectId: string, manager: EntityManager): Promise<number> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 14))`, [subjectId]);
    const rows = await manager.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM label_runs WHERE subject_id = $1`,
      [subjectId],
    );
    return rows[0].n;
  }

  async nextSerials(count: number, manager: EntityManager): Promise<string[]> {
    const rows = await manager.query<{ serial: string }[]>(
      `SELECT 'L' || lpad(nextval('label_serial_seq')::text, 9, '0') AS serial FROM generate_series(1, $1)`,
      [count],
    );
    return rows.map((row) => row.serial);
  }

  async insertRun(run: LabelRunEntity, serials: LabelSerialEntity[], manager: EntityManager): Promise<void> {
    await manager.insert(LabelRunEntity, run);
    await manager.insert(LabelSerialEntity, serials);
  }

  async insertVoid(row: LabelVoidEntity, manager: EntityManager): Promise<void> {
    await manager.insert(LabelVoidEntity, row);
  }

  async findRun(id: string, manager: EntityManager = this.db.manager): Promise<LabelRunRow | null> {
    return (await this.runs('r.id = $1', [id], manager))[0] ?? null;
  }

  listOfSubject(subjectId: string): Promise<LabelRunRow[]> {
    return this.runs('r.subject_id = $1', [subjectId], this.db.manager);
  }

  private runs(where: string, parameters: unknown[], manager: EntityManager): Promise<LabelRunRow[]> {
    return manager.query<LabelRunRow[]>(
      `SELECT r.id, r.subject_type AS "subjectType", r.subject_id AS "subjectId", r.run_number AS "runNumber",
              r.copies, r.reprint, r.reason, r.printed_by AS "printedBy", r.printed_at AS "printedAt",
              (v.run_id IS NOT NULL) AS voided,
              ARRAY(SELECT s.serial FROM label_serials s WHERE s.run_id = r.id ORDER BY s.copy) AS serials
         FROM label_runs r LEFT JOIN label_voids v ON v.run_id = r.id
        WHERE ${where}
        ORDER BY r.printed_at, r.run_number`,
      parameters,
    );
  }
}
