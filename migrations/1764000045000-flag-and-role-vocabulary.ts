import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole vocabulary of flags and roles that the edge of the system needs (cold chain, vigilance,
 * treatment plans, storage mismatches), declared once so each feature's own migration only adds its tables.
 *
 * Facility-level flags (a tank, a piece of equipment, a cleanroom sample) belong to no clinic: doctors, who
 * see only their clinic's flags, never see them, and every other flag still names its clinic.
 */
export class FlagAndRoleVocabulary1764000045000 implements MigrationInterface {
  name = 'FlagAndRoleVocabulary1764000045000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP CONSTRAINT users_role_check`);
    await db.query(
      `ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'qa', 'technician', 'doctor', 'monitor'))`,
    );

    await db.query(`ALTER TABLE flags DROP CONSTRAINT flags_type_check`);
    await db.query(`ALTER TABLE flags DROP CONSTRAINT flags_subject_type_check`);
    await db.query(`ALTER TABLE flags DROP CONSTRAINT flags_subject_fits_type`);
    await db.query(`ALTER TABLE flags ALTER COLUMN clinic_id DROP NOT NULL`);
    await db.query(`
      ALTER TABLE flags ADD CONSTRAINT flags_type_check CHECK (type IN (
        'READY_FOR_RELEASE', 'READY_FOR_INJECTION', 'POST_RELEASE_QC_FAILURE', 'STORAGE_REVIEW_DUE',
        'DOSE_EXPIRING', 'STORAGE_MISMATCH', 'ADVERSE_EVENT_REPORT_DUE', 'TEMPERATURE_EXCURSION',
        'CALIBRATION_DUE', 'ENVIRONMENT_ACTION', 'VISIT_AT_RISK', 'FOLLOW_UP_DUE', 'BOOSTER_CANDIDATE'))`);
    await db.query(`
      ALTER TABLE flags ADD CONSTRAINT flags_subject_type_check CHECK (subject_type IN (
        'batch', 'dose', 'qc_result', 'storage_review', 'vial', 'adverse_event', 'excursion', 'equipment',
        'environmental_sample', 'donor', 'outcome'))`);
    await db.query(`
      ALTER TABLE flags ADD CONSTRAINT flags_subject_fits_type CHECK (
        (type IN ('READY_FOR_RELEASE', 'READY_FOR_INJECTION', 'VISIT_AT_RISK') AND subject_type = 'batch' AND batch_id = subject_id)
        OR (type = 'POST_RELEASE_QC_FAILURE' AND subject_type = 'qc_result' AND batch_id IS NOT NULL)
        OR (type IN ('DOSE_EXPIRING', 'FOLLOW_UP_DUE') AND subject_type = 'dose' AND dose_id = subject_id AND batch_id IS NOT NULL)
        OR (type = 'STORAGE_REVIEW_DUE' AND subject_type = 'storage_review' AND review_id = subject_id)
        OR (type = 'STORAGE_MISMATCH' AND subject_type = 'vial' AND batch_id IS NOT NULL)
        OR (type = 'ADVERSE_EVENT_REPORT_DUE' AND subject_type = 'adverse_event')
        OR (type = 'BOOSTER_CANDIDATE' AND subject_type IN ('donor', 'outcome'))
        OR (type = 'TEMPERATURE_EXCURSION' AND subject_type = 'excursion')
        OR (type = 'CALIBRATION_DUE' AND subject_type = 'equipment')
        OR (type = 'ENVIRONMENT_ACTION' AND subject_type = 'environmental_sample'))`);
    // Facility flags have no clinic; every other flag must name one, or a doctor could miss their own.
    await db.query(`
      ALTER TABLE flags ADD CONSTRAINT flags_clinic_unless_facility CHECK (
        (type IN ('TEMPERATURE_EXCURSION', 'CALIBRATION_DUE', 'ENVIRONMENT_ACTION')) = (clinic_id IS NULL))`);
    // Environmental action notices are closed by QA's acknowledgement and never come back for one sample.
    await db.query(
      `CREATE UNIQUE INDEX flags_environment_action_once ON flags (subject_id) WHERE type = 'ENVIRONMENT_ACTION'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX flags_environment_action_once`);
    await db.query(`ALTER TABLE flags DROP CONSTRAINT flags_clinic_unless_facility`);
    await db.query(`ALTER TABLE flags DROP CONSTRAINT flags_subject_fits_type`);
    await db.query(`ALTER TABLE flags DROP CONSTRAINT flags_subject_type_check`);
    await db.query(`ALTER TABLE flags DROP CONSTRAINT flags_type_check`);
    await db.query(`ALTER TABLE flags ALTER COLUMN clinic_id SET NOT NULL`);
    await db.query(`
      ALTER TABLE flags ADD CONSTRAINT flags_type_check CHECK (type IN (
        'READY_FOR_RELEASE', 'READY_FOR_INJECTION', 'POST_RELEASE_QC_FAILURE', 'STORAGE_REVIEW_DUE', 'DOSE_EXPIRING'))`);
    await db.query(`
      ALTER TABLE flags ADD CONSTRAINT flags_subject_type_check CHECK (
        subject_type IN ('batch', 'dose', 'qc_result', 'storage_review'))`);
    await db.query(`
      ALTER TABLE flags ADD CONSTRAINT flags_subject_fits_type CHECK (
        (type IN ('READY_FOR_RELEASE', 'READY_FOR_INJECTION') AND subject_type = 'batch' AND batch_id = subject_id)
        OR (type = 'POST_RELEASE_QC_FAILURE' AND subject_type = 'qc_result' AND batch_id IS NOT NULL)
        OR (type = 'DOSE_EXPIRING' AND subject_type = 'dose' AND dose_id = subject_id AND batch_id IS NOT NULL)
        OR (type = 'STORAGE_REVIEW_DUE' AND subject_type = 'storage_review' AND review_id = subject_id))`);
    await db.query(`ALTER TABLE users DROP CONSTRAINT users_role_check`);
    await db.query(
      `ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'qa', 'technician', 'doctor'))`,
    );
  }
}
