import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Flags (raised and resolved by the background jobs, read and acknowledged by users) and the outbox's wake-up
 * call to the relay.
 *
 * The jobs may run many times, concurrently, replayed after a crash or a lost Redis: the constraints here are
 * what keeps that harmless. At most one open flag per (type, subject) is a partial unique index, and a
 * post-release QC failure is flagged once per QC result, ever, so an acknowledged recall notice never comes
 * back for the same result.
 */
export class FlagsAndOutboxNotify1764000030000 implements MigrationInterface {
  name = 'FlagsAndOutboxNotify1764000030000';

  async up(db: QueryRunner): Promise<void> {
    const role = appRole();
    await db.query(`
      CREATE TABLE flags (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type text NOT NULL CHECK (type IN (
          'READY_FOR_RELEASE', 'READY_FOR_INJECTION', 'POST_RELEASE_QC_FAILURE', 'STORAGE_REVIEW_DUE', 'DOSE_EXPIRING')),
        subject_type text NOT NULL CHECK (subject_type IN ('batch', 'dose', 'qc_result', 'storage_review')),
        subject_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
        -- Doctors see the flags of their clinic only (rule 11), so every flag knows its clinic.
        clinic_id uuid NOT NULL REFERENCES clinics(id),
        batch_id uuid REFERENCES batches(id),
        dose_id uuid REFERENCES doses(id),
        review_id uuid REFERENCES storage_reviews(id),
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        raised_at timestamptz NOT NULL,
        acknowledged_at timestamptz,
        acknowledged_by uuid REFERENCES users(id),
        resolved_at timestamptz,
        resolved_by uuid REFERENCES users(id),
        -- How it was resolved decides whether it may be raised again: CONDITION_ENDED flags come back when
        -- their condition does; ACKNOWLEDGED_BY_QA (post-release QC failure) never does for the same result.
        resolution text CHECK (resolution IN ('CONDITION_ENDED', 'ACKNOWLEDGED_BY_QA')),
        CONSTRAINT flags_subject_fits_type CHECK (
          (type IN ('READY_FOR_RELEASE', 'READY_FOR_INJECTION') AND subject_type = 'batch' AND batch_id = subject_id)
          OR (type = 'POST_RELEASE_QC_FAILURE' AND subject_type = 'qc_result' AND batch_id IS NOT NULL)
          OR (type = 'DOSE_EXPIRING' AND subject_type = 'dose' AND dose_id = subject_id AND batch_id IS NOT NULL)
          OR (type = 'STORAGE_REVIEW_DUE' AND subject_type = 'storage_review' AND review_id = subject_id)),
        CONSTRAINT flags_resolved_complete CHECK (
          (status = 'RESOLVED') = (resolved_at IS NOT NULL) AND (status = 'RESOLVED') = (resolution IS NOT NULL)),
        CONSTRAINT flags_acknowledged_complete CHECK (
          (acknowledged_at IS NULL) = (acknowledged_by IS NULL) AND (status <> 'ACKNOWLEDGED' OR acknowledged_at IS NOT NULL))
      )`);
    // At most one open flag per (type, subject), however many workers and sweeps race to raise it.
    await db.query(
      `CREATE UNIQUE INDEX flags_one_open ON flags (type, subject_id) WHERE status IN ('OPEN', 'ACKNOWLEDGED')`,
    );
    // One recall notice per failing post-release QC result, ever.
    await db.query(
      `CREATE UNIQUE INDEX flags_post_release_failure_once ON flags (subject_id) WHERE type = 'POST_RELEASE_QC_FAILURE'`,
    );
    await db.query(`CREATE INDEX flags_raised ON flags (raised_at DESC, id DESC)`);
    await db.query(`CREATE INDEX flags_clinic ON flags (clinic_id, raised_at DESC, id DESC)`);
    await db.query(
      `CREATE INDEX flags_batch ON flags (batch_id, raised_at DESC, id DESC) WHERE batch_id IS NOT NULL`,
    );
    // Flags are the jobs' record of what they told people: resolved, never removed.
    await db.query(`REVOKE DELETE, TRUNCATE ON flags FROM ${role}`);

    // The readiness sweep looks for post-release failures without a flag; those are few whatever the history.
    await db.query(
      `CREATE INDEX qc_results_post_release_failures ON qc_results (batch_id) WHERE recorded_after_release AND outcome = 'FAIL'`,
    );

    // Wakes the outbox relay when a transaction that wrote events commits (notifications are delivered at
    // commit, never for a rolled-back transaction). One per statement: the relay reads the rows, not the payload.
    await db.query(`
      CREATE FUNCTION outbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox_events', '');
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events
      FOR EACH STATEMENT EXECUTE FUNCTION outbox_events_notify()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TRIGGER outbox_events_notify ON outbox_events');
    await db.query('DROP FUNCTION outbox_events_notify()');
    await db.query('DROP INDEX qc_results_post_release_failures');
    await db.query('DROP TABLE flags');
  }
}

function appRole(): string {
  const role = process.env.DATABASE_APP_ROLE || 'cpc_app';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  return role;
}
