import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Legacy bank import (docs/imports.md): a CPC's banked vials from before this system, brought in from a CSV file.
 *
 * - `batches.origin`: a `LEGACY` batch has no harvest, no culture record and no target of its own; its vials are
 *   what the paper record says. It waits in CULTURE_COMPLETE until QA accepts the paper record under a signature
 *   (a `batch_decisions` row, so it is decided once), and only then are its vials drawn for boosters.
 * - `imports`: one real run of a file. The file itself is kept, so a run that died is resumed from its
 *   checkpoint (`last_line`, written in the same transaction as the chunk it closes) by whichever worker picks
 *   the job up again. One unfinished import per file: a second request for the same bytes joins the first.
 * - `import_errors`: the bad lines of a run, written with the chunk they belong to (append-only).
 */
export class LegacyBankImport1764000200000 implements MigrationInterface {
  name = 'LegacyBankImport1764000200000';

  async up(db: QueryRunner): Promise<void> {
    const role = appRole();
    await db.query(`
      ALTER TABLE batches
        ADD COLUMN origin text NOT NULL DEFAULT 'CULTURED' CHECK (origin IN ('CULTURED', 'LEGACY')),
        ALTER COLUMN harvest_id DROP NOT NULL,
        ALTER COLUMN target_cell_count DROP NOT NULL,
        ADD CONSTRAINT batches_legacy_without_harvest CHECK ((origin = 'LEGACY') = (harvest_id IS NULL)),
        ADD CONSTRAINT batches_target_unless_legacy CHECK (origin = 'LEGACY' OR target_cell_count IS NOT NULL)`);
    // A donor of a legacy record is found by its clinic and the record's reference.
    await db.query(
      `CREATE INDEX donors_clinic_external_ref ON donors (clinic_id, external_ref) WHERE external_ref IS NOT NULL`,
    );

    await db.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind = 'BANK_INVENTORY'),
        state text NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
        file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
        content text NOT NULL,
        total integer NOT NULL CHECK (total >= 0),
        processed integer NOT NULL DEFAULT 0 CHECK (processed BETWEEN 0 AND total),
        created integer NOT NULL DEFAULT 0 CHECK (created >= 0),
        skipped integer NOT NULL DEFAULT 0 CHECK (skipped >= 0),
        error_count integer NOT NULL DEFAULT 0 CHECK (error_count >= 0),
        -- Every line up to this one is done (its vials stored, or its errors recorded); 1 is the header.
        last_line integer NOT NULL DEFAULT 1 CHECK (last_line >= 1),
        failure text,
        requested_by uuid NOT NULL REFERENCES users(id),
        requested_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL,
        CONSTRAINT imports_finished CHECK ((state IN ('COMPLETED', 'FAILED')) = (finished_at IS NOT NULL))
      )`);
    await db.query(
      `CREATE UNIQUE INDEX imports_one_unfinished_per_file ON imports (file_sha256) WHERE state IN ('PENDING', 'RUNNING')`,
    );
    await db.query(`CREATE INDEX imports_requested ON imports (requested_at DESC, id)`);

    await db.query(`
      CREATE TABLE import_errors (
        import_id uuid NOT NULL REFERENCES imports(id),
        seq integer NOT NULL CHECK (seq >= 1),
        line integer NOT NULL CHECK (line >= 1),
        field text,
        message text NOT NULL CHECK (length(message) BETWEEN 1 AND 500),
        PRIMARY KEY (import_id, seq)
      )`);
    await db.query(`REVOKE UPDATE, DELETE, TRUNCATE ON import_errors FROM ${role}`);
    await db.query(`REVOKE DELETE, TRUNCATE ON imports FROM ${role}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE import_errors`);
    await db.query(`DROP TABLE imports`);
    await db.query(`DROP INDEX donors_clinic_external_ref`);
    await db.query(`
      ALTER TABLE batches
        DROP CONSTRAINT batches_target_unless_legacy,
        DROP CONSTRAINT batches_legacy_without_harvest,
        ALTER COLUMN target_cell_count SET NOT NULL,
        ALTER COLUMN harvest_id SET NOT NULL,
        DROP COLUMN origin`);
  }
}

function appRole(): string {
  const role = process.env.DATABASE_APP_ROLE || 'cpc_app';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  return role;
}
