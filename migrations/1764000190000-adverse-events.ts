import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vigilance (docs/vigilance.md): adverse events after an injection, their reporting clocks, the signed report
 * to the committee and ministry, and QA's signed conclusion. A row is written once, reported once and closed
 * once; nothing is deleted.
 */
export class AdverseEvents1764000190000 implements MigrationInterface {
  name = 'AdverseEvents1764000190000';

  async up(db: QueryRunner): Promise<void> {
    const role = appRole();
    await db.query(`
      CREATE TABLE adverse_events (
        id uuid PRIMARY KEY,
        donor_id uuid NOT NULL REFERENCES donors(id),
        -- The donor's clinic, copied: scoping and the periodic report group by it without a join.
        clinic_id uuid NOT NULL REFERENCES clinics(id),
        dose_id uuid REFERENCES doses(id),
        batch_id uuid REFERENCES batches(id),
        onset_at timestamptz NOT NULL,
        known_at timestamptz NOT NULL,
        description text NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
        seriousness text NOT NULL CHECK (seriousness IN ('DEATH', 'LIFE_THREATENING', 'HOSPITALIZATION',
          'DISABILITY', 'CONGENITAL_ANOMALY', 'OTHER_SERIOUS', 'NON_SERIOUS')),
        suspected_infection boolean NOT NULL,
        report_due_at timestamptz,
        status text NOT NULL CHECK (status IN ('OPEN', 'REPORTED', 'CLOSED')),
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL,
        reported_at timestamptz,
        report_reference text CHECK (length(report_reference) BETWEEN 1 AND 200),
        reported_by uuid REFERENCES users(id),
        report_late boolean,
        report_signature jsonb,
        causality text CHECK (causality IN ('RELATED', 'POSSIBLY_RELATED', 'UNLIKELY', 'UNRELATED')),
        conclusion text CHECK (length(conclusion) BETWEEN 1 AND 5000),
        closed_by uuid REFERENCES users(id),
        closed_at timestamptz,
        close_signature jsonb,
        CONSTRAINT adverse_events_known_after_onset CHECK (known_at >= onset_at),
        CONSTRAINT adverse_events_dose_has_batch CHECK ((dose_id IS NULL) = (batch_id IS NULL)),
        CONSTRAINT adverse_events_clock CHECK ((seriousness = 'NON_SERIOUS') = (report_due_at IS NULL)),
        CONSTRAINT adverse_events_report_complete CHECK ((reported_at IS NULL) = (report_reference IS NULL)
          AND (reported_at IS NULL) = (reported_by IS NULL) AND (reported_at IS NULL) = (report_signature IS NULL)
          AND (reported_at IS NULL) = (report_late IS NULL)),
        CONSTRAINT adverse_events_close_complete CHECK ((status = 'CLOSED') = (causality IS NOT NULL
          AND conclusion IS NOT NULL AND closed_by IS NOT NULL AND closed_at IS NOT NULL AND close_signature IS NOT NULL)),
        -- A serious event is closed only after its report (docs/vigilance.md, "Closing").
        CONSTRAINT adverse_events_serious_reported_first CHECK (
          status = 'OPEN' OR reported_at IS NOT NULL OR seriousness = 'NON_SERIOUS'),
        CONSTRAINT adverse_events_reported_status CHECK (status <> 'REPORTED' OR reported_at IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX adverse_events_recorded ON adverse_events (recorded_at DESC, id DESC)`);
    await db.query(`CREATE INDEX adverse_events_clinic_onset ON adverse_events (clinic_id, onset_at)`);
    await db.query(`CREATE INDEX adverse_events_onset ON adverse_events (onset_at)`);
    await db.query(
      `CREATE INDEX adverse_events_batch ON adverse_events (batch_id) WHERE batch_id IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX adverse_events_report_due ON adverse_events (report_due_at) WHERE reported_at IS NULL AND report_due_at IS NOT NULL`,
    );
    // The report and the conclusion are each signed once; what was recorded never changes.
    await db.query(`
      CREATE FUNCTION adverse_events_decided_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.reported_at IS NOT NULL AND (NEW.reported_at IS DISTINCT FROM OLD.reported_at
            OR NEW.report_reference IS DISTINCT FROM OLD.report_reference
            OR NEW.report_signature IS DISTINCT FROM OLD.report_signature) THEN
          RAISE EXCEPTION 'adverse event % is reported already', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'adverse_events_decided_once';
        END IF;
        IF OLD.status = 'CLOSED' THEN
          RAISE EXCEPTION 'adverse event % is closed already', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'adverse_events_decided_once';
        END IF;
        IF (NEW.donor_id, NEW.clinic_id, NEW.dose_id, NEW.batch_id, NEW.onset_at, NEW.known_at, NEW.description,
            NEW.seriousness, NEW.suspected_infection, NEW.report_due_at, NEW.recorded_by, NEW.recorded_at)
           IS DISTINCT FROM (OLD.donor_id, OLD.clinic_id, OLD.dose_id, OLD.batch_id, OLD.onset_at, OLD.known_at,
            OLD.description, OLD.seriousness, OLD.suspected_infection, OLD.report_due_at, OLD.recorded_by,
            OLD.recorded_at) THEN
          RAISE EXCEPTION 'what was recorded of adverse event % does not change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER adverse_events_decided_once BEFORE UPDATE ON adverse_events
      FOR EACH ROW EXECUTE FUNCTION adverse_events_decided_once()`);
    await db.query(`REVOKE DELETE, TRUNCATE ON adverse_events FROM ${role}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE adverse_events');
    await db.query('DROP FUNCTION adverse_events_decided_once()');
  }
}

function appRole(): string {
  const role = process.env.DATABASE_APP_ROLE || 'cpc_app';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  return role;
}
