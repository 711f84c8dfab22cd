import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cold chain, equipment and environment (docs/environment.md): temperature limits and readings of tanks and
 * freezers, excursions and the vial holds they place, equipment and its calibrations, environmental monitoring
 * samples and their action limits.
 *
 * Readings are the one high-volume table (ten years of one-minute readings from 20 tanks is about 100 M rows),
 * so it is partitioned by month: a month's chart and the excursion checks touch one or two partitions through
 * the (unit_id, at) primary key, which is also what makes a resent reading a duplicate.
 */
export class Environment1764000130000 implements MigrationInterface {
  name = 'Environment1764000130000';

  async up(db: QueryRunner): Promise<void> {
    const role = appRole();
    await this.createUnitConditions(db, role);
    await this.createReadings(db, role);
    await this.createExcursions(db);
    await this.createVialHolds(db);
    await this.createEquipment(db);
    await this.createEnvironmentalMonitoring(db);
    // Evidence is appended, never rewritten: only the rows that carry a decision or a setting change.
    await db.query(`REVOKE DELETE, TRUNCATE ON storage_unit_conditions, temperature_run_states, excursions,
      vial_holds, equipment_items, equipment_calibrations, equipment_usages, environmental_action_limits,
      environmental_samples FROM ${role}`);
    await db.query(
      `REVOKE UPDATE ON equipment_calibrations, equipment_usages, environmental_samples FROM ${role}`,
    );
  }

  private async createUnitConditions(db: QueryRunner, role: string): Promise<void> {
    // A unit's name is the one thing an administrator may change (PATCH /storage-units/:id); its path, the names
    // from the root down, follows for the unit and everything below it. Kind, place and class never change.
    await db.query(`GRANT UPDATE (name, path) ON storage_units TO ${role}`);
    await db.query(`
      CREATE TABLE storage_unit_conditions (
        unit_id uuid PRIMARY KEY REFERENCES storage_units(id),
        unit_kind text NOT NULL CHECK (unit_kind IN ('TANK', 'FREEZER')),
        min_c numeric(6, 2) CHECK (min_c BETWEEN -273.15 AND 100),
        max_c numeric(6, 2) NOT NULL CHECK (max_c BETWEEN -273.15 AND 100),
        excursion_minutes integer NOT NULL CHECK (excursion_minutes BETWEEN 1 AND 1440),
        updated_by uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL,
        CONSTRAINT storage_unit_conditions_range CHECK (min_c IS NULL OR min_c < max_c)
      )`);
    // What the incremental excursion check remembers of a unit between batches of readings: the latest instant
    // seen (the frontier) and the out-of-range run that is still open at it. A batch locks this row, so two
    // batches for one unit are judged one after the other.
    await db.query(`
      CREATE TABLE temperature_run_states (
        unit_id uuid PRIMARY KEY REFERENCES storage_units(id),
        frontier_at timestamptz,
        run_started_at timestamptz,
        run_last_out_at timestamptz,
        run_min_c real,
        run_max_c real,
        run_readings integer NOT NULL DEFAULT 0,
        excursion_id uuid,
        updated_at timestamptz NOT NULL,
        CONSTRAINT temperature_run_states_run_complete CHECK (
          (run_started_at IS NULL) = (run_last_out_at IS NULL)
          AND (run_started_at IS NULL) = (run_min_c IS NULL)
          AND (run_started_at IS NULL OR run_readings > 0)
          AND (excursion_id IS NULL OR run_started_at IS NOT NULL))
      )`);
  }

  private async createReadings(db: QueryRunner, role: string): Promise<void> {
    // out_of_range is judged against the limits in force when the reading arrived, and kept, so a later change
    // of limits never re-judges history and the run look-ups need no join. The key carries the values too: a
    // chart and the run look-ups are index-only scans, however the readings of 20 units interleave in the heap.
    await db.query(`
      CREATE TABLE temperature_readings (
        -- No foreign key: it would cost a look-up per row (half the time of a 10,000-reading batch, measured).
        -- A reading is inserted only by a transaction that holds its unit's temperature_run_states row, which
        -- references the unit, and units are never deleted (the bank revokes DELETE).
        unit_id uuid NOT NULL,
        at timestamptz NOT NULL,
        temperature_c real NOT NULL CHECK (temperature_c BETWEEN -273.15 AND 200),
        out_of_range boolean NOT NULL,
        CONSTRAINT temperature_readings_one_per_instant PRIMARY KEY (unit_id, at) INCLUDE (temperature_c, out_of_range)
      ) PARTITION BY RANGE (at)`);
    await db.query(`
      CREATE FUNCTION temperature_readings_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'temperature readings are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER temperature_readings_no_update_delete BEFORE UPDATE OR DELETE ON temperature_readings
      FOR EACH ROW EXECUTE FUNCTION temperature_readings_refuse_change()`);
    // Monthly partitions are made when a month's first reading arrives. The application's role owns no table,
    // so it asks this function, which runs as the schema owner and may do nothing but add a month. Two callers
    // for one month meet on the advisory lock; the caller runs it in its own short transaction before it
    // inserts, because adding a partition locks the parent table.
    await db.query(`
      CREATE FUNCTION temperature_readings_ensure_month(p_at timestamptz) RETURNS boolean
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        month_start timestamptz := date_trunc('month', p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
        partition_name text := 'temperature_readings_' || to_char(date_trunc('month', p_at AT TIME ZONE 'UTC'), 'YYYY_MM');
      BEGIN
        IF to_regclass(partition_name) IS NOT NULL THEN RETURN false; END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended('temperature_readings_ensure_month', 0));
        IF to_regclass(partition_name) IS NOT NULL THEN RETURN false; END IF;
        EXECUTE format('CREATE TABLE %I PARTITION OF temperature_readings FOR VALUES FROM (%L) TO (%L)',
          partition_name, month_start, month_start + interval '1 month');
        EXECUTE format('REVOKE ALL ON %I FROM ${role}', partition_name);
        EXECUTE format('GRANT SELECT, INSERT ON %I TO ${role}', partition_name);
        RETURN true;
      END $$`);
    await db.query(`REVOKE ALL ON FUNCTION temperature_readings_ensure_month(timestamptz) FROM PUBLIC`);
    await db.query(`GRANT EXECUTE ON FUNCTION temperature_readings_ensure_month(timestamptz) TO ${role}`);
    await db.query(`REVOKE UPDATE, DELETE, TRUNCATE ON temperature_readings FROM ${role}`);
  }

  private async createExcursions(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    // OPEN: still out of range at the latest reading; ENDED: back in range, awaiting QA; DISPOSED: QA signed.
    await db.query(`
      CREATE TABLE excursions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        unit_id uuid NOT NULL REFERENCES storage_units(id),
        status text NOT NULL CHECK (status IN ('OPEN', 'ENDED', 'DISPOSED')),
        started_at timestamptz NOT NULL,
        last_out_at timestamptz NOT NULL,
        -- The first reading back in range: the cells were out of range at least until then.
        ended_at timestamptz,
        min_c real NOT NULL,
        max_c real NOT NULL,
        readings integer NOT NULL CHECK (readings > 0),
        -- The limits it was judged against, copied so a later change of limits never re-judges it.
        limit_min_c numeric(6, 2),
        limit_max_c numeric(6, 2) NOT NULL,
        excursion_minutes integer NOT NULL,
        detected_at timestamptz NOT NULL,
        -- Vial moves recorded up to this instant have been looked at for the vials it affects.
        vials_checked_at timestamptz NOT NULL,
        outcome text CHECK (outcome IN ('NO_IMPACT', 'VIALS_COMPROMISED')),
        comment text CHECK (length(comment) BETWEEN 1 AND 5000),
        disposed_by uuid REFERENCES users(id),
        disposed_at timestamptz,
        signature jsonb,
        CONSTRAINT excursions_order CHECK (started_at <= last_out_at AND (ended_at IS NULL OR ended_at > last_out_at)),
        CONSTRAINT excursions_open_has_no_end CHECK ((status = 'OPEN') = (ended_at IS NULL)),
        CONSTRAINT excursions_disposition_complete CHECK ((status = 'DISPOSED') = (outcome IS NOT NULL
          AND comment IS NOT NULL AND disposed_by IS NOT NULL AND disposed_at IS NOT NULL AND signature IS NOT NULL)),
        -- One excursion per stretch of time in a unit: two batches racing cannot record the same run twice.
        CONSTRAINT excursions_no_overlap EXCLUDE USING gist (
          unit_id WITH =, tstzrange(started_at, coalesce(ended_at, 'infinity'), '[]') WITH &&)
      )`);
    await db.query(
      `CREATE UNIQUE INDEX excursions_one_open_per_unit ON excursions (unit_id) WHERE status = 'OPEN'`,
    );
    await db.query(`CREATE INDEX excursions_unit_started ON excursions (unit_id, started_at)`);
    await db.query(`CREATE INDEX excursions_detected ON excursions (detected_at DESC, id DESC)`);
    await db.query(
      `CREATE INDEX excursions_undisposed ON excursions (detected_at DESC, id DESC) WHERE status <> 'DISPOSED'`,
    );
    // A disposition is signed once.
    await db.query(`
      CREATE FUNCTION excursions_disposed_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'DISPOSED' THEN
          RAISE EXCEPTION 'excursion % is disposed already', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'excursions_disposed_once';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER excursions_disposed_once BEFORE UPDATE ON excursions
      FOR EACH ROW EXECUTE FUNCTION excursions_disposed_once()`);
    await db.query(
      `ALTER TABLE temperature_run_states ADD CONSTRAINT temperature_run_states_excursion_fk
        FOREIGN KEY (excursion_id) REFERENCES excursions(id)`,
    );
  }

  /**
   * The bank's vial holds: a vial held by any source (an excursion, a suspected infection) cannot be reserved
   * until every hold on it is released. One hold per vial and source; a hold is released once.
   */
  private async createVialHolds(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE vial_holds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        vial_id uuid NOT NULL REFERENCES vials(id),
        source_type text NOT NULL CHECK (source_type ~ '^[a-z][a-z_]{1,39}$'),
        source_id uuid NOT NULL,
        reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        placed_at timestamptz NOT NULL,
        placed_by uuid REFERENCES users(id),
        released_at timestamptz,
        released_by uuid REFERENCES users(id),
        release_reason text CHECK (length(release_reason) BETWEEN 1 AND 2000),
        CONSTRAINT vial_holds_once_per_source UNIQUE (vial_id, source_type, source_id),
        CONSTRAINT vial_holds_release_complete CHECK ((released_at IS NULL) = (release_reason IS NULL))
      )`);
    await db.query(`CREATE INDEX vial_holds_active ON vial_holds (vial_id) WHERE released_at IS NULL`);
    await db.query(`CREATE INDEX vial_holds_source ON vial_holds (source_type, source_id)`);
    await db.query(`
      CREATE FUNCTION vial_holds_released_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.released_at IS NOT NULL OR NEW.vial_id <> OLD.vial_id OR NEW.source_type <> OLD.source_type
           OR NEW.source_id <> OLD.source_id OR NEW.placed_at <> OLD.placed_at OR NEW.reason <> OLD.reason THEN
          RAISE EXCEPTION 'vial hold % may only be released, once', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vial_holds_released_once';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER vial_holds_released_once BEFORE UPDATE ON vial_holds
      FOR EACH ROW EXECUTE FUNCTION vial_holds_released_once()`);
    // The vials that stood in a tank during a stretch of time, from their history: every vial that ever stood in
    // a box has a FROZEN or MOVED event into it, found by box and by when it was recorded (so the moves recorded
    // since the last look are found without rereading the rest).
    await db.query(`CREATE INDEX vial_events_box_recorded ON vial_events (box_id, recorded_at)`);
  }

  private async createEquipment(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE equipment_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
        kind text NOT NULL CHECK (kind IN ('INCUBATOR', 'CENTRIFUGE', 'BIOSAFETY_CABINET', 'CELL_COUNTER',
          'FLOW_CYTOMETER', 'OTHER')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        -- Due before any calibration is recorded here (the one it arrived with).
        calibration_due_at timestamptz NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL,
        CONSTRAINT equipment_items_code_unique UNIQUE (code)
      )`);
    await db.query(`CREATE INDEX equipment_items_created ON equipment_items (created_at DESC, id DESC)`);
    await db.query(`
      CREATE TABLE equipment_calibrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        equipment_id uuid NOT NULL REFERENCES equipment_items(id),
        performed_at timestamptz NOT NULL,
        result text NOT NULL CHECK (result IN ('PASS', 'FAIL')),
        next_due_at timestamptz NOT NULL,
        certificate_ref text NOT NULL CHECK (length(certificate_ref) BETWEEN 1 AND 200),
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL,
        CONSTRAINT equipment_calibrations_due_after CHECK (next_due_at > performed_at)
      )`);
    await db.query(
      `CREATE INDEX equipment_calibrations_history ON equipment_calibrations (equipment_id, performed_at DESC, recorded_at DESC)`,
    );
    // Which equipment a step used, and how it stood then (judged at the step's time, copied here).
    await db.query(`
      CREATE TABLE equipment_usages (
        id bigserial PRIMARY KEY,
        equipment_id uuid NOT NULL REFERENCES equipment_items(id),
        batch_id uuid NOT NULL REFERENCES batches(id),
        event_type text NOT NULL CHECK (event_type IN ('ISOLATION', 'PASSAGE', 'CELL_COUNT', 'FINAL_HARVEST',
          'QC_RESULT', 'CRYOPRESERVATION')),
        event_id uuid NOT NULL,
        used_at timestamptz NOT NULL,
        calibration_id uuid REFERENCES equipment_calibrations(id),
        calibration_due_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        CONSTRAINT equipment_usages_once UNIQUE (equipment_id, event_type, event_id)
      )`);
    await db.query(`CREATE INDEX equipment_usages_batch ON equipment_usages (batch_id, used_at)`);
    await db.query(`CREATE INDEX equipment_usages_equipment ON equipment_usages (equipment_id, used_at)`);
  }

  private async createEnvironmentalMonitoring(db: QueryRunner): Promise<void> {
    // EU GMP Annex 1 (2022), table 6, action limits in CFU; NULL: no limit is set for that grade and method.
    await db.query(`
      CREATE TABLE environmental_action_limits (
        grade text NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
        method text NOT NULL CHECK (method IN ('ACTIVE_AIR', 'SETTLE_PLATE', 'CONTACT_PLATE', 'GLOVE_PRINT')),
        limit_cfu integer CHECK (limit_cfu >= 1),
        updated_by uuid REFERENCES users(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (grade, method)
      )`);
    await db.query(`
      INSERT INTO environmental_action_limits (grade, method, limit_cfu) VALUES
        ('A', 'ACTIVE_AIR', 1), ('A', 'SETTLE_PLATE', 1), ('A', 'CONTACT_PLATE', 1), ('A', 'GLOVE_PRINT', 1),
        ('B', 'ACTIVE_AIR', 10), ('B', 'SETTLE_PLATE', 5), ('B', 'CONTACT_PLATE', 5), ('B', 'GLOVE_PRINT', 5),
        ('C', 'ACTIVE_AIR', 100), ('C', 'SETTLE_PLATE', 50), ('C', 'CONTACT_PLATE', 25), ('C', 'GLOVE_PRINT', NULL),
        ('D', 'ACTIVE_AIR', 200), ('D', 'SETTLE_PLATE', 100), ('D', 'CONTACT_PLATE', 50), ('D', 'GLOVE_PRINT', NULL)`);
    await db.query(`
      CREATE TABLE environmental_samples (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        room text NOT NULL CHECK (length(room) BETWEEN 1 AND 100),
        grade text NOT NULL CHECK (grade IN ('A', 'B', 'C', 'D')),
        method text NOT NULL CHECK (method IN ('ACTIVE_AIR', 'SETTLE_PLATE', 'CONTACT_PLATE', 'GLOVE_PRINT')),
        cfu integer NOT NULL CHECK (cfu >= 0),
        sampled_at timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('WITHIN', 'ACTION')),
        -- The limit applied, copied so a change of limits never re-judges a result.
        limit_cfu integer,
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL,
        CONSTRAINT environmental_samples_judged CHECK (
          (outcome = 'ACTION') = (limit_cfu IS NOT NULL AND cfu >= limit_cfu))
      )`);
    await db.query(
      `CREATE INDEX environmental_samples_sampled ON environmental_samples (sampled_at DESC, id DESC)`,
    );
    await db.query(
      `CREATE INDEX environmental_samples_room ON environmental_samples (room, sampled_at DESC, id DESC)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    const role = appRole();
    for (const table of [
      'environmental_samples',
      'environmental_action_limits',
      'equipment_usages',
      'equipment_calibrations',
      'equipment_items',
      'vial_holds',
      'temperature_run_states',
      'excursions',
      'temperature_readings',
      'storage_unit_conditions',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query('DROP INDEX vial_events_box_recorded');
    await db.query('DROP FUNCTION vial_holds_released_once()');
    await db.query('DROP FUNCTION excursions_disposed_once()');
    await db.query('DROP FUNCTION temperature_readings_ensure_month(timestamptz)');
    await db.query('DROP FUNCTION temperature_readings_refuse_change()');
    await db.query(`REVOKE UPDATE (name, path) ON storage_units FROM ${role}`);
  }
}

function appRole(): string {
  const role = process.env.DATABASE_APP_ROLE || 'cpc_app';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  return role;
}
