import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { KneeAssessmentEntity } from './knee-assessment.entity';

const COLUMNS = `id, donor_id AS "donorId", knee, assessed_at AS "assessedAt",
  kellgren_lawrence AS "kellgrenLawrence", imaging, notes, recorded_by AS "recordedBy", recorded_at AS "recordedAt"`;

@Injectable()
export class KneeAssessmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(row: KneeAssessmentEntity, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO knee_assessments (id, donor_id, knee, assessed_at, kellgren_lawrence, imaging, notes,
         recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.id,
        row.donorId,
        row.knee,
        row.assessedAt,
        row.kellgrenLawrence,
        row.imaging,
        row.notes,
        row.recordedBy,
        row.recordedAt,
      ],
    );
  }

  /** Each knee's latest assessment (by assessedAt, then the later entry) of each donor. */
  latestOf(donorIds: readonly string[]): Promise<KneeAssessmentEntity[]> {
    if (donorIds.length === 0) return Promise.resolve([]);
    return this.db.query(
      `SELECT DISTINCT ON (donor_id, knee) ${COLUMNS} FROM knee_assessments WHERE donor_id = ANY($1::uuid[])
       ORDER BY donor_id, knee, assessed_at DESC, recorded_at DESC, id DESC`,
      [donorIds],
    );
  }
}
