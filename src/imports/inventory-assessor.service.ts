import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ClinicsService } from '../auth/clinics.service';
import { LegacyVialsService } from '../bank/legacy-vials.service';
import { BatchOrigin, BatchStatus } from '../batches/domain/batch-state-machine';
import { KnownBatch, LegacyBatchesService } from '../batches/legacy-batches.service';
import { KnownDonor, LegacyDonorsService } from '../donors/legacy-donors.service';
import { InventoryRow, RowError } from './domain/bank-inventory-row';
import { ImportLineCode } from './domain/import-line-code';

/** A good line with what the database knows of it: its clinic, and its donor and batch when they exist. */
export interface ResolvedRow extends InventoryRow {
  clinicId: string;
  donor: KnownDonor | null;
  batch: KnownBatch | null;
}

export interface ChunkAssessment {
  errors: RowError[];
  /** Lines whose vial label is a vial already: imported before (a re-run), so left alone. */
  skipped: InventoryRow[];
  /** Lines to bank, in file order. */
  toBank: ResolvedRow[];
}

/**
 * The checks of a chunk of lines that need the database (docs/imports.md, "What is checked"), reading only, so
 * the dry run and the real run judge a line the same way. A line whose label is a vial already is skipped
 * before anything else: that is what makes a re-run of a file harmless.
 */
@Injectable()
export class InventoryAssessor {
  constructor(
    private readonly clinics: ClinicsService,
    private readonly donors: LegacyDonorsService,
    private readonly batches: LegacyBatchesService,
    private readonly bank: LegacyVialsService,
  ) {}

  async assess(rows: readonly InventoryRow[], manager: EntityManager): Promise<ChunkAssessment> {
    // A line imported already is skipped whatever else the database now says of it.
    const existing = await this.bank.existingLabels(
      rows.map((row) => row.vialLabel),
      manager,
    );
    const skipped = rows.filter((row) => existing.has(row.vialLabel));
    const errors: RowError[] = [];
    const resolved = await this.resolve(
      rows.filter((row) => !existing.has(row.vialLabel)),
      manager,
      errors,
    );
    const problems = await this.bank.assessPlaces(
      resolved.map((row) => ({
        label: row.vialLabel,
        boxId: row.boxId,
        row: row.row,
        col: row.col,
        biohazard: row.batch?.biohazard ?? false,
      })),
      manager,
    );
    const toBank: ResolvedRow[] = [];
    for (const row of resolved) {
      const problem = problems.get(row.vialLabel);
      if (problem) errors.push({ line: row.line, ...problem, code: ImportLineCode[problem.code] });
      else toBank.push(row);
    }
    return { errors: errors.sort((a, b) => a.line - b.line), skipped, toBank };
  }

  /** Each line's clinic, donor and batch, or its error (pushed to `errors`). */
  private async resolve(
    rows: readonly InventoryRow[],
    manager: EntityManager,
    errors: RowError[],
  ): Promise<ResolvedRow[]> {
    const codes = [...new Set(rows.map((row) => row.clinicCode))];
    const clinicIds = new Map((await this.clinics.findByCodes(codes, manager)).map((c) => [c.code, c.id]));
    const refKey = (clinicId: string, externalRef: string): string => `${clinicId}\u0000${externalRef}`;
    const refs = new Map<string, { clinicId: string; externalRef: string }>();
    for (const row of rows) {
      const clinicId = clinicIds.get(row.clinicCode);
      if (clinicId !== undefined)
        refs.set(refKey(clinicId, row.externalRef), { clinicId, externalRef: row.externalRef });
    }
    const donorsByKey = new Map<string, KnownDonor[]>();
    for (const donor of await this.donors.findByRefs([...refs.values()], manager)) {
      const key = refKey(donor.clinicId, donor.externalRef);
      donorsByKey.set(key, [...(donorsByKey.get(key) ?? []), donor]);
    }
    const batches = await this.batches.findByDins(
      rows.map((row) => row.din),
      manager,
    );
    const resolved: ResolvedRow[] = [];
    for (const row of rows) {
      const clinicId = clinicIds.get(row.clinicCode);
      if (clinicId === undefined) {
        errors.push({
          line: row.line,
          code: ImportLineCode.CLINIC_UNKNOWN,
          field: 'clinicCode',
          message: `no clinic has the code ${row.clinicCode}`,
        });
        continue;
      }
      const donors = donorsByKey.get(refKey(clinicId, row.externalRef)) ?? [];
      const problem = donorProblem(row, donors) ?? batchProblem(donors[0] ?? null, batches.get(row.din));
      if (problem) errors.push({ line: row.line, ...problem });
      else resolved.push({ ...row, clinicId, donor: donors[0] ?? null, batch: batches.get(row.din) ?? null });
    }
    return resolved;
  }
}

type Problem = Omit<RowError, 'line'>;

/** The donor the line names, as the clinic's record has them. */
function donorProblem(row: InventoryRow, donors: readonly KnownDonor[]): Problem | null {
  if (donors.length > 1)
    return {
      code: ImportLineCode.DONOR_AMBIGUOUS,
      field: 'externalRef',
      message: `${donors.length} donors of this clinic have this reference`,
    };
  const donor = donors[0];
  if (!donor) return null;
  if (donor.birthYear !== row.birthYear)
    return {
      code: ImportLineCode.DONOR_DETAILS_DIFFER,
      field: 'birthYear',
      message: `donor ${donor.code} was registered born in ${donor.birthYear}`,
    };
  if (donor.sex !== row.sex)
    return {
      code: ImportLineCode.DONOR_DETAILS_DIFFER,
      field: 'sex',
      message: `donor ${donor.code} was registered with sex ${donor.sex}`,
    };
  return null;
}

/** A DIN known already must be a legacy batch of the same donor, still in the bank's hands. */
function batchProblem(donor: KnownDonor | null, batch: KnownBatch | undefined): Problem | null {
  if (!batch) return null;
  if (batch.origin !== BatchOrigin.LEGACY)
    return {
      code: ImportLineCode.DIN_CULTURED_HERE,
      field: 'din',
      message: 'this DIN is a batch cultured here, not a legacy record',
    };
  if (donor === null || batch.donorId !== donor.id)
    return {
      code: ImportLineCode.DIN_OTHER_DONOR,
      field: 'din',
      message: "this DIN is another donor's batch",
    };
  if (batch.status !== BatchStatus.CULTURE_COMPLETE && batch.status !== BatchStatus.RELEASED)
    return { code: ImportLineCode.BATCH_CLOSED, field: 'din', message: `the batch is ${batch.status}` };
  return null;
}
