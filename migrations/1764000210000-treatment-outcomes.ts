import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The patient's two trips and the years after (docs/outcomes.md): knee assessments (donors), the injection
 * plan a culture must meet (batches), and pain outcomes per knee (outcomes). All three are evidence that is
 * appended, never rewritten: a replan is a new version of the plan, and the views read the latest.
 */
export class TreatmentOutcomes1764000210000 implements MigrationInterface {
  name = 'TreatmentOutcomes1764000210000';

  async up(db: QueryRunner): Promise<void> {
    const role = appRole();
    await db.query(`
      CREATE TABLE knee_assessments (
        id uuid PRIMARY KEY,
        donor_id uuid NOT NULL REFERENCES donors(id),
        knee text NOT NULL CHECK (knee IN ('LEFT', 'RIGHT')),
        assessed_at timestamptz NOT NULL,
        kellgren_lawrence smallint NOT NULL CHECK (kellgren_lawrence BETWEEN 0 AND 4),
        imaging text NOT NULL CHECK (imaging IN ('MRI', 'XRAY')),
        notes text,
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL
      )`);
    await db.query(
      `CREATE INDEX knee_assessments_latest ON knee_assessments (donor_id, knee, assessed_at DESC, recorded_at DESC)`,
    );

    // Each PUT of a plan appends its next version under the batch's row lock; the unique key makes two
    // writers that somehow missed the lock collide instead of both being "version 2".
    await db.query(`
      CREATE TABLE injection_plans (
        id uuid PRIMARY KEY,
        batch_id uuid NOT NULL REFERENCES batches(id),
        version integer NOT NULL CHECK (version >= 1),
        planned_at timestamptz NOT NULL,
        knees text[] NOT NULL CHECK (
          cardinality(knees) BETWEEN 1 AND 2
          AND knees <@ ARRAY['LEFT', 'RIGHT']::text[]
          AND (cardinality(knees) = 1 OR knees[1] <> knees[2])),
        cells_per_knee bigint NOT NULL CHECK (cells_per_knee BETWEEN 1000000 AND 10000000000),
        planned_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL,
        CONSTRAINT injection_plans_version_unique UNIQUE (batch_id, version)
      )`);

    // A follow-up names the dose injected into that knee; a baseline names none. One assessment per knee and
    // instant: the same visit typed twice is a duplicate, not a second data point.
    await db.query(`
      CREATE TABLE outcome_assessments (
        id uuid PRIMARY KEY,
        donor_id uuid NOT NULL REFERENCES donors(id),
        clinic_id uuid NOT NULL REFERENCES clinics(id),
        knee text NOT NULL CHECK (knee IN ('LEFT', 'RIGHT')),
        kind text NOT NULL CHECK (kind IN ('BASELINE', 'FOLLOW_UP')),
        assessed_at timestamptz NOT NULL,
        vas_pain smallint NOT NULL CHECK (vas_pain BETWEEN 0 AND 100),
        koos_pain numeric(5, 2) CHECK (koos_pain BETWEEN 0 AND 100),
        dose_id uuid REFERENCES doses(id),
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL,
        CONSTRAINT outcome_assessments_kind_dose CHECK ((kind = 'FOLLOW_UP') = (dose_id IS NOT NULL)),
        CONSTRAINT outcome_assessments_one_per_moment UNIQUE (donor_id, knee, assessed_at)
      )`);
    await db.query(
      `CREATE INDEX outcome_assessments_dose ON outcome_assessments (dose_id, assessed_at) WHERE dose_id IS NOT NULL`,
    );
    await db.query(`CREATE INDEX outcome_assessments_clinic ON outcome_assessments (clinic_id, assessed_at)`);
    // Follow-up windows and the outcome report start from administrations by time.
    await db.query(
      `CREATE INDEX doses_administered ON doses (administered_at) WHERE administered_at IS NOT NULL`,
    );
    await db.query(
      `REVOKE UPDATE, DELETE, TRUNCATE ON knee_assessments, injection_plans, outcome_assessments FROM ${role}`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX doses_administered');
    await db.query('DROP TABLE outcome_assessments');
    await db.query('DROP TABLE injection_plans');
    await db.query('DROP TABLE knee_assessments');
  }
}

function appRole(): string {
  const role = process.env.DATABASE_APP_ROLE || 'cpc_app';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  return role;
}
