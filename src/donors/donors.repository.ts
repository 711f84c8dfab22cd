import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ScreeningMarker, ScreeningResult } from './domain/screening-status';
import { CREATED_AT_CURSOR_SQL } from '../common/pagination/created-at-cursor';

export type Sex = 'F' | 'M' | 'X';

export interface DonorRow {
  id: string;
  code: string;
  clinicId: string;
  externalRef: string | null;
  birthYear: number;
  sex: Sex;
  createdBy: string;
  createdAt: Date;
}

export interface DonorListRow extends DonorRow {
  cursorAt: string;
}

export interface ScreeningRow {
  id: string;
  donorId: string;
  marker: ScreeningMarker;
  result: ScreeningResult;
  testedAt: Date;
  correctsId: string | null;
  supersededBy: string | null;
  reason: string | null;
  recordedBy: string;
  recordedByRole: string;
  recordedAt: Date;
}

export interface ConsentRow {
  id: string;
  donorId: string;
  treatment: boolean;
  banking: boolean;
  signedAt: Date;
  bankingExpiresAt: Date | null;
  formVersion: string | null;
  recordedBy: string;
  recordedAt: Date;
}

export interface NewDonor {
  code: string;
  clinicId: string;
  externalRef: string | null;
  birthYear: number;
  sex: Sex;
  createdBy: string;
  createdAt: Date;
}

export interface NewScreening {
  donorId: string;
  marker: ScreeningMarker;
  result: ScreeningResult;
  testedAt: Date;
  correctsId: string | null;
  reason: string | null;
  recordedBy: string;
  recordedByRole: string;
  recordedAt: Date;
}

export interface NewConsent {
  donorId: string;
  treatment: boolean;
  banking: boolean;
  signedAt: Date;
  bankingExpiresAt: Date | null;
  formVersion: string | null;
  recordedBy: string;
  recordedAt: Date;
}

export interface DonorListFilter {
  clinicId: string | null;
  /** The doctor's clinic (rule 11); combined with `clinicId`, a doctor asking for another clinic gets nothing. */
  scopeClinicId: string | null;
  code: string | null;
  externalRef: string | null;
}

const DONOR_COLUMNS = `id, code, clinic_id AS "clinicId", external_ref AS "externalRef", birth_year AS "birthYear", sex,
  created_by AS "createdBy", created_at AS "createdAt"`;
const CURSOR_AT = CREATED_AT_CURSOR_SQL;
const SCREENING_COLUMNS = `id, donor_id AS "donorId", marker, result, tested_at AS "testedAt", corrects_id AS "correctsId",
  superseded_by AS "supersededBy", reason, recorded_by AS "recordedBy", recorded_by_role AS "recordedByRole",
  recorded_at AS "recordedAt"`;
const CONSENT_COLUMNS = `id, donor_id AS "donorId", treatment, banking, signed_at AS "signedAt",
  banking_expires_at AS "bankingExpiresAt", form_version AS "formVersion", recorded_by AS "recordedBy",
  recorded_at AS "recordedAt"`;

@Injectable()
export class DonorsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Null when the generated code is taken already (the caller draws another); the transaction stays usable. */
  async insertDonor(donor: NewDonor, manager: EntityManager): Promise<DonorRow | null> {
    const rows = await manager.query<DonorRow[]>(
      `INSERT INTO donors (code, clinic_id, external_ref, birth_year, sex, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ON CONSTRAINT donors_code_unique DO NOTHING
       RETURNING ${DONOR_COLUMNS}`,
      [
        donor.code,
        donor.clinicId,
        donor.externalRef,
        donor.birthYear,
        donor.sex,
        donor.createdBy,
        donor.createdAt,
      ],
    );
    return rows[0] ?? null;
  }

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<DonorRow | null> {
    const rows = await manager.query<DonorRow[]>(`SELECT ${DONOR_COLUMNS} FROM donors WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /**
   * The donor's row, locked to the end of the transaction. Commands that change what the donor's screening
   * or consent says take it FOR UPDATE; commands that rely on it (a harvest on the consent, a batch on the
   * screening) take it FOR SHARE, so neither reads a state the other is changing. Read what the lock guards
   * in a later statement: under READ COMMITTED only a new statement sees what the lock holder committed.
   */
  async lockById(id: string, mode: 'UPDATE' | 'SHARE', manager: EntityManager): Promise<DonorRow | null> {
    const rows = await manager.query<DonorRow[]>(
      `SELECT ${DONOR_COLUMNS} FROM donors WHERE id = $1 FOR ${mode === 'UPDATE' ? 'UPDATE' : 'SHARE'}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Newest first, in the order of the (clinic_id, created_at DESC, id) index; `after` is the last row's key. */
  async list(
    filter: DonorListFilter,
    limit: number,
    after: [string, string] | null,
    manager: EntityManager = this.db.manager,
  ): Promise<DonorListRow[]> {
    return manager.query<DonorListRow[]>(
      `SELECT ${DONOR_COLUMNS}, ${CURSOR_AT} FROM donors
        WHERE ($1::uuid IS NULL OR clinic_id = $1)
          AND ($2::uuid IS NULL OR clinic_id = $2)
          AND ($3::text IS NULL OR code = $3)
          AND ($4::text IS NULL OR external_ref = $4)
          AND ($5::timestamptz IS NULL OR created_at < $5 OR (created_at = $5 AND id > $6::uuid))
        ORDER BY created_at DESC, id
        LIMIT $7`,
      [
        filter.scopeClinicId,
        filter.clinicId,
        filter.code,
        filter.externalRef,
        after?.[0] ?? null,
        after?.[1] ?? null,
        limit,
      ],
    );
  }

  /** Every screening entry of the donors, superseded ones included, in the order they were recorded. */
  async screeningsOf(
    donorIds: readonly string[],
    manager: EntityManager = this.db.manager,
  ): Promise<ScreeningRow[]> {
    if (donorIds.length === 0) return [];
    return manager.query<ScreeningRow[]>(
      `SELECT ${SCREENING_COLUMNS} FROM donor_screenings WHERE donor_id = ANY($1::uuid[]) ORDER BY donor_id, ordinal`,
      [donorIds],
    );
  }

  async findScreening(
    donorId: string,
    screeningId: string,
    manager: EntityManager,
  ): Promise<ScreeningRow | null> {
    const rows = await manager.query<ScreeningRow[]>(
      `SELECT ${SCREENING_COLUMNS} FROM donor_screenings WHERE id = $1 AND donor_id = $2`,
      [screeningId, donorId],
    );
    return rows[0] ?? null;
  }

  async insertScreening(screening: NewScreening, manager: EntityManager): Promise<ScreeningRow> {
    const rows = await manager.query<ScreeningRow[]>(
      `INSERT INTO donor_screenings
         (donor_id, marker, result, tested_at, corrects_id, reason, recorded_by, recorded_by_role, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${SCREENING_COLUMNS}`,
      [
        screening.donorId,
        screening.marker,
        screening.result,
        screening.testedAt,
        screening.correctsId,
        screening.reason,
        screening.recordedBy,
        screening.recordedByRole,
        screening.recordedAt,
      ],
    );
    return rows[0];
  }

  /** False when another correction got there first (the row was superseded meanwhile). */
  async markScreeningSuperseded(id: string, supersededBy: string, manager: EntityManager): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [, affected] = await manager.query<[unknown[], number]>(
      'UPDATE donor_screenings SET superseded_by = $2 WHERE id = $1 AND superseded_by IS NULL',
      [id, supersededBy],
    );
    return affected > 0;
  }

  /** Every consent of the donors, oldest first; the last one of a donor is the one in force. */
  async consentsOf(
    donorIds: readonly string[],
    manager: EntityManager = this.db.manager,
  ): Promise<ConsentRow[]> {
    if (donorIds.length === 0) return [];
    return manager.query<ConsentRow[]>(
      `SELECT ${CONSENT_COLUMNS} FROM donor_consents WHERE donor_id = ANY($1::uuid[]) ORDER BY donor_id, ordinal`,
      [donorIds],
    );
  }

  /** The consent in force: the one recorded last (served by the (donor_id, ordinal DESC) index). */
  async currentConsent(
    donorId: string,
    manager: EntityManager = this.db.manager,
  ): Promise<ConsentRow | null> {
    const rows = await manager.query<ConsentRow[]>(
      `SELECT ${CONSENT_COLUMNS} FROM donor_consents WHERE donor_id = $1 ORDER BY ordinal DESC LIMIT 1`,
      [donorId],
    );
    return rows[0] ?? null;
  }

  async insertConsent(consent: NewConsent, manager: EntityManager): Promise<ConsentRow> {
    const rows = await manager.query<ConsentRow[]>(
      `INSERT INTO donor_consents
         (donor_id, treatment, banking, signed_at, banking_expires_at, form_version, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING ${CONSENT_COLUMNS}`,
      [
        consent.donorId,
        consent.treatment,
        consent.banking,
        consent.signedAt,
        consent.bankingExpiresAt,
        consent.formVersion,
        consent.recordedBy,
        consent.recordedAt,
      ],
    );
    return rows[0];
  }

  /** Marks the donor's batches that are not yet marked; returns what it marked, for the audit trail. */
  async markBatchesBiohazard(
    donorId: string,
    at: Date,
    manager: EntityManager,
  ): Promise<{ id: string; din: string }[]> {
    const [marked] = await manager.query<[{ id: string; din: string }[], number]>(
      `UPDATE batches SET biohazard = true, updated_at = $2
        WHERE donor_id = $1 AND NOT biohazard
       RETURNING id, din`,
      [donorId, at],
    );
    return marked;
  }
}
