import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Foundation: the application role, users and clinics, login failures, idempotency keys, the append-only
 * hash-chained audit trail and the transactional outbox.
 */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(db: QueryRunner): Promise<void> {
    const role = appRole();
    // Roles are cluster-wide, so another database (or a parallel test run) may have created it already.
    await db.query(`
      DO $$ BEGIN
        CREATE ROLE ${role} NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    // The migrating user must be a member to let its own connections SET ROLE (a no-op for superusers).
    await db.query(`
      DO $$ BEGIN
        EXECUTE format('GRANT ${role} TO %I', current_user);
      EXCEPTION WHEN OTHERS THEN NULL;
      END $$`);
    await db.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    // Tables created by later migrations get the ordinary rights; the audit table takes them back below.
    await db.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
    );
    await db.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${role}`);

    await db.query(`
      CREATE TABLE clinics (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL CHECK (code ~ '^[A-Z0-9-]{2,16}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT clinics_code_unique UNIQUE (code)
      )`);
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        role text NOT NULL CHECK (role IN ('admin', 'qa', 'technician', 'doctor')),
        clinic_id uuid REFERENCES clinics(id),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- A doctor belongs to exactly one clinic; CPC staff to none.
        CONSTRAINT users_clinic_iff_doctor CHECK ((role = 'doctor') = (clinic_id IS NOT NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_unique ON users (lower(email))`);

    // Failed logins and failed signatures, counted here so every process agrees on a lock-out.
    await db.query(`
      CREATE TABLE auth_failures (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        kind text NOT NULL CHECK (kind IN ('LOGIN', 'SIGNATURE')),
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX auth_failures_user_at ON auth_failures (user_id, at DESC)`);

    await db.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users(id),
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        fingerprint text NOT NULL,
        state text NOT NULL CHECK (state IN ('IN_FLIGHT', 'DONE')),
        locked_at timestamptz NOT NULL,
        response_status integer,
        -- json, not jsonb: a replay must return the very bytes, key order included.
        response_body json,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)`);

    await this.createAuditTrail(db, role);

    await db.query(`
      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        type text NOT NULL,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    // The relay reads only what is unsent; a partial index keeps that cheap however long the history.
    await db.query(`CREATE INDEX outbox_events_unsent ON outbox_events (id) WHERE sent_at IS NULL`);

    await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await db.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    await db.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM ${role}`);
    await db.query(`REVOKE ALL ON schema_migrations FROM ${role}`);
  }

  /**
   * The canonical text is the entry: every queryable column is generated from it, so a column cannot be
   * changed without changing the text, and the text cannot change without breaking the hash chain.
   */
  private async createAuditTrail(db: QueryRunner, role: string): Promise<void> {
    await db.query(`
      CREATE TABLE audit_entries (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        canonical text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        at timestamptz GENERATED ALWAYS AS (to_timestamp(((canonical::jsonb ->> 'at')::bigint)::double precision / 1000)) STORED,
        actor_id uuid GENERATED ALWAYS AS ((canonical::jsonb ->> 'actorId')::uuid) STORED,
        actor_role text GENERATED ALWAYS AS (canonical::jsonb ->> 'actorRole') STORED,
        action text GENERATED ALWAYS AS (canonical::jsonb ->> 'action') STORED,
        entity_type text GENERATED ALWAYS AS (canonical::jsonb ->> 'entityType') STORED,
        entity_id text GENERATED ALWAYS AS (canonical::jsonb ->> 'entityId') STORED,
        before jsonb GENERATED ALWAYS AS (canonical::jsonb -> 'before') STORED,
        after jsonb GENERATED ALWAYS AS (canonical::jsonb -> 'after') STORED,
        reason text GENERATED ALWAYS AS (canonical::jsonb ->> 'reason') STORED
      )`);
    await db.query(`CREATE INDEX audit_entries_entity ON audit_entries (entity_id, seq)`);
    await db.query(`CREATE INDEX audit_entries_actor ON audit_entries (actor_id, seq)`);
    await db.query(`CREATE INDEX audit_entries_at ON audit_entries (at)`);

    await db.query(`
      CREATE FUNCTION audit_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entries is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_entries_no_update_delete BEFORE UPDATE OR DELETE ON audit_entries
      FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_change()`);
    await db.query(`
      CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
      FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_refuse_change()`);

    // The only locked section of a write: take the chain's head, hash, insert. Called last in a transaction,
    // so the lock (held to commit) covers one statement and the commit itself.
    await db.query(`
      CREATE FUNCTION audit_append(p_canonical text) RETURNS TABLE (seq bigint, hash text)
      LANGUAGE plpgsql AS $$
      DECLARE
        head_seq bigint;
        head_hash text;
        new_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(7310420002);
        SELECT a.seq, a.hash INTO head_seq, head_hash FROM audit_entries a ORDER BY a.seq DESC LIMIT 1;
        head_seq := coalesce(head_seq, 0);
        head_hash := coalesce(head_hash, repeat('0', 64));
        new_hash := encode(sha256(convert_to(head_hash || p_canonical, 'UTF8')), 'hex');
        INSERT INTO audit_entries (seq, canonical, prev_hash, hash)
          VALUES (head_seq + 1, p_canonical, head_hash, new_hash);
        RETURN QUERY SELECT head_seq + 1, new_hash;
      END $$`);
    await db.query(`GRANT SELECT, INSERT ON audit_entries TO ${role}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE outbox_events');
    await db.query('DROP FUNCTION audit_append(text)');
    await db.query('DROP TABLE audit_entries');
    await db.query('DROP FUNCTION audit_entries_refuse_change()');
    await db.query('DROP TABLE idempotency_keys');
    await db.query('DROP TABLE auth_failures');
    await db.query('DROP TABLE users');
    await db.query('DROP TABLE clinics');
  }
}

function appRole(): string {
  const role = process.env.DATABASE_APP_ROLE || 'cpc_app';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  return role;
}
