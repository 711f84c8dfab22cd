import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail becomes a verifiable ledger (docs/audit-ledger.md). Writers no longer take a lock that
 * all of them share: they insert their entry and commit. A sequencer (src/audit/ledger/sequencer.service.ts)
 * later integrates committed entries into a Merkle tree (RFC 9162 section 2.1) through `audit_integrate()`,
 * the one function the application role may call on the ledger's tables, and signs tree heads outside the
 * database.
 *
 * Entries recorded before this migration become the tree's first leaves, in their seq order.
 */
export class AuditLedger1764000420000 implements MigrationInterface {
  name = 'AuditLedger1764000420000';

  async up(db: QueryRunner): Promise<void> {
    const role = appRole();
    // Writers of the old chain wait here rather than insert half way through the change.
    await db.query('LOCK TABLE audit_entries IN ACCESS EXCLUSIVE MODE');
    await db.query('DROP FUNCTION audit_append(text)');

    // The derived columns were generated, each parsing the canonical text again (nine parses per entry);
    // a trigger now parses it once and fills them all, overriding whatever the writer sent.
    for (const column of DERIVED_COLUMNS) {
      await db.query(`ALTER TABLE audit_entries ALTER COLUMN ${column} DROP EXPRESSION`);
    }
    // The chain's own hashes stay on the entries that have them; new entries are secured by the tree.
    await db.query('ALTER TABLE audit_entries ALTER COLUMN prev_hash DROP NOT NULL');
    await db.query('ALTER TABLE audit_entries ALTER COLUMN hash DROP NOT NULL');
    // The writing transaction's id: what makes integration commit-safe (see audit_integrate below).
    await db.query('ALTER TABLE audit_entries ADD COLUMN txid xid8');
    await db.query('CREATE INDEX audit_entries_txid ON audit_entries (txid)');
    await db.query('CREATE SEQUENCE audit_entries_seq AS bigint OWNED BY audit_entries.seq');
    await db.query(
      `SELECT setval('audit_entries_seq', coalesce((SELECT max(seq) FROM audit_entries), 0) + 1, false)`,
    );
    await db.query(`GRANT USAGE ON SEQUENCE audit_entries_seq TO ${role}`);
    await db.query(`
      CREATE FUNCTION audit_entries_fill() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        doc jsonb := NEW.canonical::jsonb;
      BEGIN
        NEW.seq := nextval('audit_entries_seq');
        NEW.txid := pg_current_xact_id();
        NEW.prev_hash := NULL;
        NEW.hash := NULL;
        NEW.at := to_timestamp(((doc ->> 'at')::bigint)::double precision / 1000);
        NEW.actor_id := (doc ->> 'actorId')::uuid;
        NEW.actor_role := doc ->> 'actorRole';
        NEW.action := doc ->> 'action';
        NEW.entity_type := doc ->> 'entityType';
        NEW.entity_id := doc ->> 'entityId';
        NEW.before := doc -> 'before';
        NEW.after := doc -> 'after';
        NEW.reason := doc ->> 'reason';
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_entries_fill BEFORE INSERT ON audit_entries
      FOR EACH ROW EXECUTE FUNCTION audit_entries_fill()`);
    // Kept for callers of the old interface (and bench/): now a plain insert, no lock.
    await db.query(`
      CREATE FUNCTION audit_append(p_canonical text) RETURNS TABLE (seq bigint)
      LANGUAGE sql AS $$
        INSERT INTO audit_entries (canonical) VALUES (p_canonical) RETURNING audit_entries.seq
      $$`);

    await this.createTree(db);
    await this.createFunctions(db);

    // Entries from before the ledger: the first leaves, in their old order, integrated here and now.
    await db.query(`
      INSERT INTO audit_leaves (leaf_index, seq, hash)
      SELECT row_number() OVER (ORDER BY seq) - 1, seq, sha256('\\x00'::bytea || convert_to(canonical, 'UTF8'))
        FROM audit_entries ORDER BY seq`);
    // Separate statements: audit_root (STABLE) sees only what earlier statements wrote.
    await db.query('SELECT audit_grow_tree(0, (SELECT count(*) FROM audit_leaves))');
    await db.query(`
      INSERT INTO audit_ledger_state (tree_size, root_hash, watermark)
      SELECT n, audit_root(n), pg_snapshot_xmin(pg_current_snapshot())
        FROM (SELECT count(*) AS n FROM audit_leaves) t`);

    for (const table of LEDGER_TABLES) {
      await db.query(`REVOKE ALL ON ${table} FROM ${role}`);
      await db.query(`GRANT SELECT ON ${table} TO ${role}`);
    }
    for (const fn of ['audit_grow_tree(bigint, bigint)', 'audit_root(bigint)']) {
      await db.query(`REVOKE EXECUTE ON FUNCTION ${fn} FROM PUBLIC`);
    }
    for (const fn of [
      'audit_integrate(integer)',
      'audit_record_head(bigint, bytea, timestamptz, text, text)',
      'audit_append(text)',
    ]) {
      await db.query(`REVOKE EXECUTE ON FUNCTION ${fn} FROM PUBLIC`);
      await db.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${role}`);
    }
  }

  /** Leaves, the tree's inner nodes, signed heads, and the sequencer's state: all but the state append-only. */
  private async createTree(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_leaves (
        leaf_index bigint PRIMARY KEY CHECK (leaf_index >= 0),
        seq bigint NOT NULL UNIQUE REFERENCES audit_entries (seq),
        hash bytea NOT NULL
      )`);
    // Node (level, idx) is the root of the perfect subtree over leaves [idx * 2^level, (idx + 1) * 2^level):
    // stored once complete, so any head or proof is a handful of lookups (level 0 is audit_leaves).
    await db.query(`
      CREATE TABLE audit_tree_nodes (
        level smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
        idx bigint NOT NULL CHECK (idx >= 0),
        hash bytea NOT NULL,
        PRIMARY KEY (level, idx)
      )`);
    await db.query(`
      CREATE TABLE audit_tree_heads (
        tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
        root_hash bytea NOT NULL,
        at timestamptz NOT NULL,
        signature text NOT NULL,
        key_id text NOT NULL
      )`);
    await db.query(`
      CREATE TABLE audit_ledger_state (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        tree_size bigint NOT NULL,
        root_hash bytea NOT NULL,
        -- Every entry written by a transaction below this id is integrated.
        watermark xid8 NOT NULL
      )`);
    await db.query(`
      CREATE FUNCTION audit_ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['audit_leaves', 'audit_tree_nodes', 'audit_tree_heads']) {
      await db.query(`
        CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION audit_ledger_refuse_change()`);
      await db.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_refuse_change()`);
    }
  }

  private async createFunctions(db: QueryRunner): Promise<void> {
    // Adds the nodes completed when the tree grows from p_from to p_to leaves, one set-based insert a level.
    await db.query(`
      CREATE FUNCTION audit_grow_tree(p_from bigint, p_to bigint) RETURNS void
      LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      DECLARE
        lvl integer := 1;
      BEGIN
        WHILE (p_from >> lvl) < (p_to >> lvl) LOOP
          IF lvl = 1 THEN
            INSERT INTO audit_tree_nodes (level, idx, hash)
            SELECT 1, l.leaf_index >> 1, sha256('\\x01'::bytea || l.hash || r.hash)
              FROM audit_leaves l JOIN audit_leaves r ON r.leaf_index = l.leaf_index + 1
             WHERE l.leaf_index >= (p_from >> 1) << 1 AND l.leaf_index < (p_to >> 1) << 1
               AND l.leaf_index % 2 = 0;
          ELSE
            INSERT INTO audit_tree_nodes (level, idx, hash)
            SELECT lvl, l.idx >> 1, sha256('\\x01'::bytea || l.hash || r.hash)
              FROM audit_tree_nodes l JOIN audit_tree_nodes r ON r.level = l.level AND r.idx = l.idx + 1
             WHERE l.level = lvl - 1 AND l.idx >= (p_from >> lvl) << 1 AND l.idx < (p_to >> lvl) << 1
               AND l.idx % 2 = 0;
          END IF;
          lvl := lvl + 1;
        END LOOP;
      END $$`);
    // MTH of the first p_size leaves: the perfect subtrees of p_size's binary digits, folded from the right.
    await db.query(`
      CREATE FUNCTION audit_root(p_size bigint) RETURNS bytea
      LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
      DECLARE
        lvl integer := 0;
        acc bytea;
        h bytea;
      BEGIN
        IF p_size = 0 THEN RETURN sha256(''::bytea); END IF;
        WHILE (p_size >> lvl) > 0 LOOP
          IF ((p_size >> lvl) & 1) = 1 THEN
            IF lvl = 0 THEN
              SELECT hash INTO STRICT h FROM audit_leaves WHERE leaf_index = p_size - 1;
            ELSE
              SELECT hash INTO STRICT h FROM audit_tree_nodes WHERE level = lvl AND idx = (p_size >> lvl) - 1;
            END IF;
            acc := CASE WHEN acc IS NULL THEN h ELSE sha256('\\x01'::bytea || h || acc) END;
          END IF;
          lvl := lvl + 1;
        END LOOP;
        RETURN acc;
      END $$`);
    // One batch of integration. Commit-safe without any lock on the writers: a transaction whose id is below
    // the snapshot's xmin has finished, so every entry it wrote is visible to the statement after; entries of
    // transactions still running carry an id at or above it and are found by a later batch (the anti-join
    // keeps one found early from being integrated twice). The advisory lock is the sequencer's own
    // (src/audit/ledger/sequencer.service.ts holds it for its session): any other caller is refused.
    await db.query(`
      CREATE FUNCTION audit_integrate(p_limit integer)
        RETURNS TABLE (tree_size bigint, root_hash bytea, integrated integer, head_size bigint)
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      #variable_conflict use_column
      DECLARE
        st audit_ledger_state%ROWTYPE;
        horizon xid8;
        n integer;
      BEGIN
        IF NOT pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) THEN
          RAISE EXCEPTION 'another session is the audit sequencer' USING ERRCODE = 'lock_not_available';
        END IF;
        SELECT * INTO STRICT st FROM audit_ledger_state FOR UPDATE;
        horizon := pg_snapshot_xmin(pg_current_snapshot());
        INSERT INTO audit_leaves (leaf_index, seq, hash)
        SELECT st.tree_size + row_number() OVER (ORDER BY c.seq) - 1, c.seq,
               sha256('\\x00'::bytea || convert_to(c.canonical, 'UTF8'))
          FROM (SELECT e.seq, e.canonical FROM audit_entries e
                 WHERE e.txid >= st.watermark
                   AND NOT EXISTS (SELECT 1 FROM audit_leaves l WHERE l.seq = e.seq)
                 ORDER BY e.seq LIMIT p_limit) c;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n > 0 THEN
          PERFORM audit_grow_tree(st.tree_size, st.tree_size + n);
        END IF;
        UPDATE audit_ledger_state s
           SET tree_size = st.tree_size + n,
               root_hash = CASE WHEN n > 0 THEN audit_root(st.tree_size + n) ELSE st.root_hash END,
               -- A full batch may have left entries below the horizon for the next one.
               watermark = CASE WHEN n < p_limit THEN horizon ELSE st.watermark END;
        RETURN QUERY
          SELECT s.tree_size, s.root_hash, n, (SELECT max(h.tree_size) FROM audit_tree_heads h)
            FROM audit_ledger_state s;
      END $$`);
    // The head the sequencer signed, stored only if it names the tree as it stands.
    await db.query(`
      CREATE FUNCTION audit_record_head(p_tree_size bigint, p_root bytea, p_at timestamptz, p_signature text,
                                        p_key_id text) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        IF NOT pg_try_advisory_xact_lock(${SEQUENCER_LOCK}) THEN
          RAISE EXCEPTION 'another session is the audit sequencer' USING ERRCODE = 'lock_not_available';
        END IF;
        IF NOT EXISTS (SELECT 1 FROM audit_ledger_state WHERE tree_size = p_tree_size AND root_hash = p_root) THEN
          RAISE EXCEPTION 'head % does not name the tree as it stands', p_tree_size USING ERRCODE = 'data_exception';
        END IF;
        INSERT INTO audit_tree_heads (tree_size, root_hash, at, signature, key_id)
        VALUES (p_tree_size, p_root, p_at, p_signature, p_key_id)
        ON CONFLICT (tree_size) DO NOTHING;
      END $$`);
  }

  async down(): Promise<void> {
    // The old chain cannot be rebuilt without rewriting history (new entries have no chain hash).
    throw new Error('AuditLedger1764000420000 cannot be reverted: restore from a backup');
  }
}

/** The sequencer's advisory lock key; src/audit/ledger/sequencer.service.ts takes the same. */
export const SEQUENCER_LOCK = 7310420003;

const DERIVED_COLUMNS = [
  'at',
  'actor_id',
  'actor_role',
  'action',
  'entity_type',
  'entity_id',
  'before',
  'after',
  'reason',
];
const LEDGER_TABLES = ['audit_leaves', 'audit_tree_nodes', 'audit_tree_heads', 'audit_ledger_state'];

function appRole(): string {
  const role = process.env.DATABASE_APP_ROLE || 'cpc_app';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  return role;
}
