import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PERIODIC_COUNTS_SQL } from './periodic-report.sql';

/** The counts of one period, as the one statement below answers them (bigint counts as numbers). */
export interface PeriodicCountsRow {
  harvestsReceived: number;
  harvestsRejected: number;
  batchesStarted: number;
  batchesReleased: number;
  batchesRejected: number;
  batchesDiscarded: number;
  dosesAdministered: number;
  dosesRecalled: number;
  patientsTreated: number;
  boosters: number;
  postReleaseQcFailures: number;
  bySeriousness: Record<string, number> | null;
  byCausality: Record<string, number> | null;
  deviations: Record<string, number> | null;
}

/** The periodic report's read of other modules' tables, each named in READ_MODEL_TABLES; reads only. */
@Injectable()
export class PeriodicReportRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async counts(from: Date, to: Date, clinicId: string | null): Promise<PeriodicCountsRow> {
    const rows = await this.db.query<PeriodicCountsRow[]>(PERIODIC_COUNTS_SQL, [from, to, clinicId]);
    return rows[0];
  }
}
