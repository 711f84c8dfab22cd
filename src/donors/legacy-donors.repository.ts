import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A donor as a legacy import matches a line against it: by clinic and the legacy record's reference. */
export interface KnownDonor {
  id: string;
  code: string;
  clinicId: string;
  externalRef: string;
  birthYear: number;
  sex: string;
}

export interface NewLegacyDonor {
  code: string;
  clinicId: string;
  externalRef: string;
  birthYear: number;
  sex: string;
}

/** The set-based reads and writes of legacy donors (src/donors/legacy-donors.service.ts). */
@Injectable()
export class LegacyDonorsRepository {
  /** Served by donors_clinic_external_ref. */
  async findByRefs(
    refs: readonly { clinicId: string; externalRef: string }[],
    manager: EntityManager,
  ): Promise<KnownDonor[]> {
    if (refs.length === 0) return [];
    return manager.query<KnownDonor[]>(
      `SELECT d.id, d.code, d.clinic_id AS "clinicId", d.external_ref AS "externalRef", d.birth_year AS "birthYear", d.sex
         FROM jsonb_to_recordset($1::jsonb) AS r(clinic_id uuid, external_ref text)
         JOIN donors d ON d.clinic_id = r.clinic_id AND d.external_ref = r.external_ref
        ORDER BY d.created_at, d.id`,
      [JSON.stringify(refs.map((r) => ({ clinic_id: r.clinicId, external_ref: r.externalRef })))],
    );
  }

  /** Inserts the donors; one whose drawn code is taken is left out (the caller draws again). */
  async insertMany(
    donors: readonly NewLegacyDonor[],
    createdBy: string,
    at: Date,
    manager: EntityManager,
  ): Promise<KnownDonor[]> {
    if (donors.length === 0) return [];
    return manager.query<KnownDonor[]>(
      `INSERT INTO donors (code, clinic_id, external_ref, birth_year, sex, created_by, created_at)
       SELECT code, clinic_id, external_ref, birth_year, sex, $2, $3
         FROM jsonb_to_recordset($1::jsonb) AS x(code text, clinic_id uuid, external_ref text, birth_year integer, sex text)
       ON CONFLICT ON CONSTRAINT donors_code_unique DO NOTHING
       RETURNING id, code, clinic_id AS "clinicId", external_ref AS "externalRef", birth_year AS "birthYear", sex`,
      [
        JSON.stringify(
          donors.map((d) => ({
            code: d.code,
            clinic_id: d.clinicId,
            external_ref: d.externalRef,
            birth_year: d.birthYear,
            sex: d.sex,
          })),
        ),
        createdBy,
        at,
      ],
    );
  }
}
