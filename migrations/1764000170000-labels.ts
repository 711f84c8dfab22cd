import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Labels and chain of custody (docs/labels.md): product codes, label print runs with their serials, voids,
 * and every scan checked against an item.
 *
 * A run, its serials, its void and a scan are evidence: appended, never changed. One void per run is the
 * void's primary key, and one first print per subject is (subject, run_number) with run 1 the only run that
 * is not a reprint, so two racing requests cannot both print "the first" label or both void one run.
 * Subjects live in four tables (harvests, batches, vials, doses), so they are named by type and id.
 */
export class Labels1764000170000 implements MigrationInterface {
  name = 'Labels1764000170000';

  async up(db: QueryRunner): Promise<void> {
    const role = appRole();
    await db.query(`
      CREATE TABLE product_codes (
        form text PRIMARY KEY CHECK (form IN ('FRESH_DOSE', 'BOOSTER_DOSE', 'CRYOPRESERVED')),
        code text NOT NULL CHECK (code ~ '^[A-Z][0-9]{4}$'),
        type_of_donation text NOT NULL CHECK (type_of_donation ~ '^[0-9A-Z]$'),
        description text NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
        updated_by uuid NOT NULL REFERENCES users(id),
        updated_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE SEQUENCE label_serial_seq MAXVALUE 999999999`);
    await db.query(`
      CREATE TABLE label_runs (
        id uuid PRIMARY KEY,
        subject_type text NOT NULL CHECK (subject_type IN ('HARVEST', 'BATCH', 'VIAL', 'DOSE')),
        subject_id uuid NOT NULL,
        run_number integer NOT NULL CHECK (run_number >= 1),
        copies integer NOT NULL CHECK (copies BETWEEN 1 AND 10),
        reprint boolean NOT NULL,
        reason text CHECK (length(reason) BETWEEN 1 AND 2000),
        printed_by uuid NOT NULL REFERENCES users(id),
        printed_at timestamptz NOT NULL,
        CONSTRAINT label_runs_one_per_number UNIQUE (subject_id, subject_type, run_number),
        CONSTRAINT label_runs_reprint CHECK (reprint = (run_number > 1)),
        CONSTRAINT label_runs_reprint_reason CHECK (NOT reprint OR reason IS NOT NULL)
      )`);
    await db.query(`
      CREATE TABLE label_serials (
        serial text PRIMARY KEY CHECK (serial ~ '^L[0-9]{9}$'),
        run_id uuid NOT NULL REFERENCES label_runs(id),
        copy integer NOT NULL CHECK (copy BETWEEN 1 AND 10),
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        -- The text printed beside the symbols (<DIN>-V001, the DIN, a harvest's id), as it was printed.
        item_label text NOT NULL,
        CONSTRAINT label_serials_one_per_copy UNIQUE (run_id, copy)
      )`);
    await db.query(`
      CREATE TABLE label_voids (
        run_id uuid PRIMARY KEY REFERENCES label_runs(id),
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        voided_by uuid NOT NULL REFERENCES users(id),
        voided_at timestamptz NOT NULL
      )`);
    await db.query(`
      CREATE TABLE scans (
        id uuid PRIMARY KEY,
        subject_type text NOT NULL CHECK (subject_type IN ('HARVEST', 'BATCH', 'VIAL', 'DOSE')),
        subject_id uuid NOT NULL,
        -- null: a check on its own (POST /scans/verify); else the hand-off it was part of.
        hand_off text CHECK (hand_off IN ('HARVEST_RECEIPT', 'CRYOPRESERVE', 'VIAL_MOVE', 'THAW',
          'DOSE_DISPATCH', 'DOSE_RECEIPT', 'ADMINISTRATION')),
        scan text NOT NULL CHECK (length(scan) BETWEEN 1 AND 500),
        match boolean NOT NULL,
        reason text CHECK (reason IN ('OTHER_ITEM', 'VOIDED_SERIAL', 'UNKNOWN_SERIAL', 'WRONG_CHECK_CHARACTER',
          'NOT_A_LABEL')),
        identified_type text,
        identified_id uuid,
        serial text,
        actor_id uuid NOT NULL REFERENCES users(id),
        actor_role text NOT NULL,
        scanned_at timestamptz NOT NULL,
        CONSTRAINT scans_reason CHECK (match = (reason IS NULL))
      )`);
    await db.query(`CREATE INDEX scans_subject ON scans (subject_id, scanned_at)`);
    await db.query(`CREATE INDEX label_runs_subject ON label_runs (subject_id, printed_at)`);
    await db.query(
      `REVOKE UPDATE, DELETE, TRUNCATE ON label_runs, label_serials, label_voids, scans FROM ${role}`,
    );
    await db.query(`REVOKE DELETE, TRUNCATE ON product_codes FROM ${role}`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['scans', 'label_voids', 'label_serials', 'label_runs', 'product_codes']) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`DROP SEQUENCE label_serial_seq`);
  }
}

function appRole(): string {
  const role = process.env.DATABASE_APP_ROLE || 'cpc_app';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  return role;
}
