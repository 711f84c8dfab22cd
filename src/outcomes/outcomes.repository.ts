import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { OutcomeAssessmentEntity, OutcomeKnee } from './outcome-assessment.entity';

const COLUMNS = `id, donor_id AS "donorId", clinic_id AS "clinicId", knee, kind, assessed_at AS "assessedAt",
  vas_pain AS "vasPain", koos_pain AS "koosPain", dose_id AS "doseId", recorded_by AS "recordedBy",
  recorded_at AS "recordedAt"`;

@Injectable()
export class OutcomesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(row: OutcomeAssessmentEntity, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO outcome_assessments (id, donor_id, clinic_id, knee, kind, assessed_at, vas_pain, koos_pain,
         dose_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        row.id,
        row.donorId,
        row.clinicId,
        row.knee,
        row.kind,
        row.assessedAt,
        row.vasPain,
        row.koosPain,
        row.doseId,
        row.recordedBy,
        row.recordedAt,
      ],
    );
  }

  /** Every assessment of the donor, oldest first (knee, then time). */
  ofDonor(donorId: string, manager: EntityManager = this.db.manager): Promise<OutcomeAssessmentEntity[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM outcome_assessments WHERE donor_id = $1 ORDER BY knee, assessed_at, recorded_at`,
      [donorId],
    );
  }

  /** Whether the dose has a follow-up assessed in [from, to). */
  async hasFollowUpBetween(doseId: string, from: Date, to: Date, manager: EntityManager): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM outcome_assessments WHERE dose_id = $1 AND assessed_at >= $2 AND assessed_at < $3 LIMIT 1`,
      [doseId, from, to],
    );
    return rows.length > 0;
  }

  /** The knees of the donor, for the booster-candidate rule: assessments of one knee, oldest first. */
  ofKnee(donorId: string, knee: OutcomeKnee, manager: EntityManager): Promise<OutcomeAssessmentEntity[]> {
    return manager.query(
      `SELECT ${COLUMNS} FROM outcome_assessments WHERE donor_id = $1 AND knee = $2
       ORDER BY assessed_at, recorded_at`,
      [donorId, knee],
    );
  }
}
