import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The cell bank: storage hierarchy (tank or freezer > rack > box), cryopreservations and their vials, each
 * vial's history, boosters drawn from the bank, physical reconciliations of boxes, and storage reviews.
 *
 * Material may stay here for a decade, so the rules that protect it are constraints, not only service checks:
 * a position holds one live vial (rule 6), banked vials stand in liquid-nitrogen tanks (rule 13), a storage
 * review is decided once (rule 6), a vial's history is append-only. The look-ups that must stay fast at a
 * million vials (by label, free positions in a box, a donor's inventory, reviews due) each have an index.
 */
export class CellBank1764000020000 implements MigrationInterface {
  name = 'CellBank1764000020000';

  async up(db: QueryRunner): Promise<void> {
    const role = appRole();
    await this.createStorageUnits(db);
    await this.createReviewsAndVials(db);
    await this.createBoosters(db);

    await db.query(`
      CREATE TABLE bank_reconciliations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        box_id uuid NOT NULL REFERENCES storage_units(id),
        scanned_labels text[] NOT NULL,
        matched text[] NOT NULL,
        missing text[] NOT NULL,
        unexpected text[] NOT NULL,
        misplaced jsonb NOT NULL,
        performed_by uuid NOT NULL REFERENCES users(id),
        performed_at timestamptz NOT NULL
      )`);
    await db.query(
      `CREATE INDEX bank_reconciliations_box ON bank_reconciliations (box_id, performed_at DESC)`,
    );

    // Nothing in the bank is ever deleted (a vial leaves as THAWED or DISCARDED, a review is decided); a vial's
    // history and the record of a physical check are evidence besides: appended, never rewritten.
    await db.query(`REVOKE DELETE, TRUNCATE ON storage_units, storage_reviews, cryopreservations, vials, vial_events,
      boosters, bank_reconciliations FROM ${role}`);
    await db.query(
      `REVOKE UPDATE ON vial_events, bank_reconciliations, cryopreservations, storage_units FROM ${role}`,
    );
  }

  private async createStorageUnits(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE storage_units (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('TANK', 'FREEZER', 'RACK', 'BOX')),
        parent_id uuid,
        parent_kind text,
        -- The tank or freezer the unit stands in (itself for a root), its kind and its biohazard class, copied
        -- down at creation so a placement is judged with one look-up. Units are never moved or changed.
        root_id uuid NOT NULL,
        root_kind text NOT NULL CHECK (root_kind IN ('TANK', 'FREEZER')),
        biohazard boolean NOT NULL,
        rows integer CHECK (rows BETWEEN 1 AND 20),
        cols integer CHECK (cols BETWEEN 1 AND 20),
        path text NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL,
        CONSTRAINT storage_units_box_grid CHECK ((kind = 'BOX') = (rows IS NOT NULL AND cols IS NOT NULL)
          AND (rows IS NULL) = (cols IS NULL)),
        CONSTRAINT storage_units_roots CHECK ((kind IN ('TANK', 'FREEZER')) = (parent_id IS NULL)),
        CONSTRAINT storage_units_root_self CHECK (parent_id IS NOT NULL OR (root_id = id AND root_kind = kind)),
        CONSTRAINT storage_units_nesting CHECK (
          parent_id IS NULL
          OR (kind = 'RACK' AND parent_kind IN ('TANK', 'FREEZER'))
          OR (kind = 'BOX' AND parent_kind IN ('TANK', 'FREEZER', 'RACK'))),
        CONSTRAINT storage_units_inherit_key UNIQUE (id, kind, root_id, root_kind, biohazard),
        CONSTRAINT storage_units_grid_key UNIQUE (id, rows, cols, root_kind),
        -- A child carries its parent's kind, root and biohazard class exactly: the inheritance cannot drift.
        CONSTRAINT storage_units_parent_fk FOREIGN KEY (parent_id, parent_kind, root_id, root_kind, biohazard)
          REFERENCES storage_units (id, kind, root_id, root_kind, biohazard),
        CONSTRAINT storage_units_root_fk FOREIGN KEY (root_id) REFERENCES storage_units (id)
      )`);
    // Two units of one name side by side would be confused at the tank; names are unique among siblings.
    await db.query(`
      CREATE UNIQUE INDEX storage_units_sibling_name ON storage_units
        (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))`);
    await db.query(`CREATE INDEX storage_units_children ON storage_units (parent_id, name, id)`);
  }

  private async createReviewsAndVials(db: QueryRunner): Promise<void> {
    // docs/domain.md, "Storage reviews": one review per donor and due date. 'DUE' is derived when read (due within 30
    // days or past), so only PENDING and DECIDED are stored. The jobs' storage-review processor reads
    // id, donor_id, clinic_id, due_at and status.
    await db.query(`
      CREATE TABLE storage_reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        donor_id uuid NOT NULL REFERENCES donors(id),
        clinic_id uuid NOT NULL REFERENCES clinics(id),
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DECIDED')),
        -- RETAIN and DISPOSE are QA's decisions; NO_VIALS_LEFT closes a review whose vials were all thawed,
        -- discarded or moved to another review date before anyone had to decide.
        outcome text CHECK (outcome IN ('RETAIN', 'DISPOSE', 'NO_VIALS_LEFT')),
        decided_at timestamptz,
        decided_by uuid REFERENCES users(id),
        notes text CHECK (length(notes) <= 5000),
        -- The vials the decision covered, as they were when it was taken.
        decided_vial_ids uuid[],
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT storage_reviews_decided_complete CHECK (
          (status = 'DECIDED') = (decided_at IS NOT NULL AND outcome IS NOT NULL)
          AND (outcome IS NULL OR outcome = 'NO_VIALS_LEFT' OR decided_by IS NOT NULL))
      )`);
    // Concurrent commands of one donor due on the same date meet on this index (ON CONFLICT) and share a review.
    await db.query(
      `CREATE UNIQUE INDEX storage_reviews_one_pending ON storage_reviews (donor_id, due_at) WHERE status = 'PENDING'`,
    );
    // The sweep and the DUE list read only undecided reviews: their cost follows what is open, not history.
    await db.query(
      `CREATE INDEX storage_reviews_undecided_due ON storage_reviews (due_at, id) WHERE status <> 'DECIDED'`,
    );
    await db.query(
      `CREATE INDEX storage_reviews_clinic_undecided ON storage_reviews (clinic_id, due_at, id) WHERE status <> 'DECIDED'`,
    );
    await db.query(`CREATE INDEX storage_reviews_due ON storage_reviews (due_at, id)`);
    // Rule 6, a storage review is decided once: whatever a command does, the database refuses to change a
    // decided review (two QA users deciding at once: the second finds it decided).
    await db.query(`
      CREATE FUNCTION storage_reviews_decided_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'DECIDED' THEN
          RAISE EXCEPTION 'storage review % is decided already', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'storage_reviews_decided_once';
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER storage_reviews_decided_once BEFORE UPDATE ON storage_reviews
      FOR EACH ROW EXECUTE FUNCTION storage_reviews_decided_once()`);

    await db.query(`
      CREATE TABLE cryopreservations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id uuid NOT NULL REFERENCES batches(id),
        frozen_at timestamptz NOT NULL,
        medium text NOT NULL CHECK (length(medium) BETWEEN 1 AND 200),
        dmso_pct numeric(5, 2) CHECK (dmso_pct BETWEEN 0 AND 100),
        vial_count integer NOT NULL CHECK (vial_count BETWEEN 1 AND 200),
        total_cells bigint NOT NULL CHECK (total_cells > 0),
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX cryopreservations_batch ON cryopreservations (batch_id, frozen_at)`);

    await db.query(`
      CREATE TABLE vials (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        label text NOT NULL,
        batch_id uuid NOT NULL REFERENCES batches(id),
        ordinal integer NOT NULL CHECK (ordinal >= 1),
        donor_id uuid NOT NULL REFERENCES donors(id),
        clinic_id uuid NOT NULL REFERENCES clinics(id),
        cryopreservation_id uuid NOT NULL REFERENCES cryopreservations(id),
        cells bigint NOT NULL CHECK (cells > 0 AND cells <= 1000000000000),
        status text NOT NULL CHECK (status IN ('STORED', 'RESERVED', 'THAWED', 'DISCARDED')),
        -- The vial's place, kept as its last place once it leaves the tank (thawed, discarded): the position is
        -- free then because only STORED and RESERVED vials hold one (index below).
        box_id uuid NOT NULL,
        box_rows integer NOT NULL,
        box_cols integer NOT NULL,
        box_root_kind text NOT NULL,
        pos_row integer NOT NULL,
        pos_col integer NOT NULL,
        frozen_at timestamptz NOT NULL,
        -- Reviews run every N months from review_base_at (frozenAt, then each RETAIN decision), earlier when the
        -- banking consent ends; next_review_at is the answer and review_id the review that holds it.
        review_base_at timestamptz NOT NULL,
        next_review_at timestamptz NOT NULL,
        review_id uuid REFERENCES storage_reviews(id),
        booster_id uuid,
        thawed_at timestamptz,
        thawed_by uuid REFERENCES users(id),
        post_thaw_viability_pct numeric(5, 2) CHECK (post_thaw_viability_pct BETWEEN 0 AND 100),
        witness_id uuid REFERENCES users(id),
        discarded_at timestamptz,
        discarded_by uuid REFERENCES users(id),
        discard_reason text,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT vials_label_unique UNIQUE (label),
        CONSTRAINT vials_batch_ordinal_unique UNIQUE (batch_id, ordinal),
        -- A position lies inside its box, and the box is one of a liquid-nitrogen tank (rule 13).
        CONSTRAINT vials_box_fk FOREIGN KEY (box_id, box_rows, box_cols, box_root_kind)
          REFERENCES storage_units (id, rows, cols, root_kind),
        CONSTRAINT vials_in_tank CHECK (box_root_kind = 'TANK'),
        CONSTRAINT vials_position_in_box CHECK (pos_row BETWEEN 1 AND box_rows AND pos_col BETWEEN 1 AND box_cols),
        CONSTRAINT vials_thaw_complete CHECK ((status = 'THAWED') = (thawed_at IS NOT NULL
          AND thawed_by IS NOT NULL AND witness_id IS NOT NULL AND post_thaw_viability_pct IS NOT NULL)),
        -- Rule 8: the witness is a second person.
        CONSTRAINT vials_witness_not_thawer CHECK (witness_id IS NULL OR witness_id <> thawed_by),
        CONSTRAINT vials_discard_complete CHECK ((status = 'DISCARDED') = (discarded_at IS NOT NULL AND discard_reason IS NOT NULL)),
        CONSTRAINT vials_reserved_for_booster CHECK (status <> 'RESERVED' OR booster_id IS NOT NULL)
      )`);
    // Rule 6, a vial position holds one vial: the referee when placements race.
    await db.query(`
      CREATE UNIQUE INDEX vials_one_live_per_position ON vials (box_id, pos_row, pos_col)
        WHERE status IN ('STORED', 'RESERVED')`);
    await db.query(`CREATE INDEX vials_created ON vials (created_at DESC, id DESC)`);
    // A doctor's list (their clinic's vials, newest first) must not walk other clinics' vials.
    await db.query(`CREATE INDEX vials_clinic_created ON vials (clinic_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX vials_batch_created ON vials (batch_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX vials_donor_created ON vials (donor_id, created_at DESC, id DESC)`);
    // A donor's inventory, and a clinic's (walked donor by donor), read only what is in the tanks.
    await db.query(
      `CREATE INDEX vials_donor_live ON vials (donor_id, next_review_at) WHERE status IN ('STORED', 'RESERVED')`,
    );
    await db.query(
      `CREATE INDEX vials_clinic_donor_live ON vials (clinic_id, donor_id) WHERE status IN ('STORED', 'RESERVED')`,
    );
    await db.query(
      `CREATE INDEX vials_review_live ON vials (review_id) WHERE status IN ('STORED', 'RESERVED')`,
    );
    await db.query(`CREATE INDEX vials_booster ON vials (booster_id) WHERE booster_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE vial_events (
        id bigserial PRIMARY KEY,
        vial_id uuid NOT NULL REFERENCES vials(id),
        event text NOT NULL CHECK (event IN ('FROZEN', 'MOVED', 'RESERVED', 'THAWED', 'DISCARDED', 'REVIEW_RESCHEDULED')),
        -- When it happened (frozenAt, thawedAt) and when it was recorded: paper records may be back-entered.
        at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        actor_id uuid REFERENCES users(id),
        actor_role text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        from_box_id uuid,
        from_row integer,
        from_col integer,
        box_id uuid,
        pos_row integer,
        pos_col integer,
        reason text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await db.query(`CREATE INDEX vial_events_vial ON vial_events (vial_id, id)`);
  }

  private async createBoosters(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE boosters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        donor_id uuid NOT NULL REFERENCES donors(id),
        clinic_id uuid NOT NULL REFERENCES clinics(id),
        batch_id uuid NOT NULL REFERENCES batches(id),
        status text NOT NULL DEFAULT 'REQUESTED' CHECK (status IN ('REQUESTED', 'FORMULATED')),
        requested_by uuid NOT NULL REFERENCES users(id),
        requested_at timestamptz NOT NULL,
        -- One booster, one dose: its vials are thawed once.
        dose_id uuid REFERENCES doses(id),
        formulated_at timestamptz,
        CONSTRAINT boosters_dose_once UNIQUE (dose_id),
        CONSTRAINT boosters_formulated_complete CHECK ((status = 'FORMULATED') = (dose_id IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX boosters_donor ON boosters (donor_id, requested_at DESC)`);
    await db.query(
      `ALTER TABLE vials ADD CONSTRAINT vials_booster_fk FOREIGN KEY (booster_id) REFERENCES boosters(id)`,
    );
    // The doses table (batch path) names its booster; now that boosters exist the name must be a real one.
    await db.query(
      `ALTER TABLE doses ADD CONSTRAINT doses_booster_fk FOREIGN KEY (booster_id) REFERENCES boosters(id)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE doses DROP CONSTRAINT doses_booster_fk');
    await db.query('DROP TABLE bank_reconciliations');
    await db.query('DROP TABLE vial_events');
    await db.query('ALTER TABLE vials DROP CONSTRAINT vials_booster_fk');
    await db.query('DROP TABLE boosters');
    await db.query('DROP TABLE vials');
    await db.query('DROP TABLE cryopreservations');
    await db.query('DROP TRIGGER storage_reviews_decided_once ON storage_reviews');
    await db.query('DROP FUNCTION storage_reviews_decided_once()');
    await db.query('DROP TABLE storage_reviews');
    await db.query('DROP TABLE storage_units');
  }
}

function appRole(): string {
  const role = process.env.DATABASE_APP_ROLE || 'cpc_app';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
    throw new Error('DATABASE_APP_ROLE must be a lower-case SQL identifier');
  return role;
}
