import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The processing path: donors (consent, screening), harvests, batches with their DIN sequence and steps,
 * specifications, QC results, deviations, release decisions, material lots and doses.
 *
 * Corrections follow one shape everywhere: a correcting row names `corrects_id`, the corrected row gets
 * `superseded_by`, and a unique index on `corrects_id` makes sure an entry is corrected at most once (no
 * forked history). Invariants a race could break are constraints here, not only checks in services.
 */
export class BatchPath1764000010000 implements MigrationInterface {
  name = 'BatchPath1764000010000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE donors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL,
        clinic_id uuid NOT NULL REFERENCES clinics(id),
        external_ref text CHECK (length(external_ref) <= 100),
        birth_year integer NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
        sex text NOT NULL CHECK (sex IN ('F', 'M', 'X')),
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT donors_code_unique UNIQUE (code)
      )`);
    await db.query(`CREATE INDEX donors_clinic ON donors (clinic_id, created_at DESC, id)`);
    await db.query(`CREATE INDEX donors_created ON donors (created_at DESC, id)`);

    await db.query(`
      CREATE TABLE donor_consents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ordinal bigserial NOT NULL,
        donor_id uuid NOT NULL REFERENCES donors(id),
        treatment boolean NOT NULL,
        banking boolean NOT NULL,
        signed_at timestamptz NOT NULL,
        banking_expires_at timestamptz,
        form_version text,
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX donor_consents_current ON donor_consents (donor_id, ordinal DESC)`);

    await db.query(`
      CREATE TABLE donor_screenings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ordinal bigserial NOT NULL,
        donor_id uuid NOT NULL REFERENCES donors(id),
        marker text NOT NULL CHECK (marker IN ('HBV', 'HCV', 'HIV', 'HTLV1', 'SYPHILIS')),
        result text NOT NULL CHECK (result IN ('NEGATIVE', 'REACTIVE')),
        tested_at timestamptz NOT NULL,
        corrects_id uuid REFERENCES donor_screenings(id),
        superseded_by uuid,
        reason text,
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_by_role text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT donor_screenings_corrects_once UNIQUE (corrects_id),
        CONSTRAINT donor_screenings_reason_with_correction CHECK (corrects_id IS NULL OR reason IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX donor_screenings_donor ON donor_screenings (donor_id, ordinal)`);

    await db.query(`
      CREATE TABLE harvests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        donor_id uuid NOT NULL REFERENCES donors(id),
        clinic_id uuid NOT NULL REFERENCES clinics(id),
        tissue text NOT NULL CHECK (tissue IN ('ADIPOSE', 'BONE_MARROW', 'SYNOVIUM')),
        volume_ml numeric(8, 2) NOT NULL CHECK (volume_ml > 0 AND volume_ml <= 500),
        collected_at timestamptz NOT NULL,
        collected_by uuid NOT NULL REFERENCES users(id),
        status text NOT NULL DEFAULT 'COLLECTED' CHECK (status IN ('COLLECTED', 'RECEIVED', 'REJECTED')),
        received_at timestamptz,
        received_by uuid REFERENCES users(id),
        temperature_c numeric(5, 2),
        intact boolean,
        rejection_reason text,
        deviations jsonb NOT NULL DEFAULT '[]'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX harvests_donor ON harvests (donor_id)`);

    await db.query(`
      CREATE TABLE specifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        product_type text NOT NULL,
        version text NOT NULL,
        max_passage integer NOT NULL CHECK (max_passage BETWEEN 1 AND 50),
        limits jsonb NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT specifications_version_unique UNIQUE (product_type, version)
      )`);
    // One specification in force per product; older versions stay for the results judged against them.
    await db.query(
      `CREATE UNIQUE INDEX specifications_one_active ON specifications (product_type) WHERE active`,
    );
    await db.query(
      `INSERT INTO specifications (product_type, version, max_passage, limits) VALUES ('CULTURED_ADSC', 'ADSC-2026.1', 5, $1)`,
      [JSON.stringify(DEFAULT_LIMITS)],
    );

    // Gapless DIN sequence per facility and year: the counter row is updated inside the creating
    // transaction, so a rolled-back creation gives its number back and concurrent creations queue on the row.
    await db.query(`
      CREATE TABLE din_sequences (
        facility_fin text NOT NULL,
        year2 integer NOT NULL CHECK (year2 BETWEEN 0 AND 99),
        last_value integer NOT NULL CHECK (last_value BETWEEN 0 AND 999999),
        PRIMARY KEY (facility_fin, year2)
      )`);

    await db.query(`
      CREATE TABLE batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        din text NOT NULL CHECK (din ~ '^[A-Z][0-9]{4}[0-9]{2}[0-9]{6}$'),
        din_check char(1) NOT NULL,
        harvest_id uuid NOT NULL REFERENCES harvests(id),
        donor_id uuid NOT NULL REFERENCES donors(id),
        clinic_id uuid NOT NULL REFERENCES clinics(id),
        product_type text NOT NULL,
        specification_id uuid NOT NULL REFERENCES specifications(id),
        target_cell_count bigint NOT NULL CHECK (target_cell_count BETWEEN 1000000 AND 10000000000),
        status text NOT NULL DEFAULT 'RECEIVED'
          CHECK (status IN ('RECEIVED', 'IN_CULTURE', 'CULTURE_COMPLETE', 'RELEASED', 'REJECTED', 'DISCARDED')),
        biohazard boolean NOT NULL DEFAULT false,
        current_passage integer CHECK (current_passage >= 0),
        -- Rule 9, cells are conserved: doses and vials draw from the final harvest's viable cells, and the
        -- check holds under any concurrency because every draw updates this row.
        viable_cells_yielded bigint CHECK (viable_cells_yielded >= 0),
        cells_drawn bigint NOT NULL DEFAULT 0 CHECK (cells_drawn >= 0),
        expires_at timestamptz,
        recalled_at timestamptz,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT batches_din_unique UNIQUE (din),
        CONSTRAINT batches_harvest_unique UNIQUE (harvest_id),
        CONSTRAINT batches_cells_conserved CHECK (cells_drawn <= coalesce(viable_cells_yielded, 0))
      )`);
    await db.query(`CREATE INDEX batches_created ON batches (created_at DESC, id)`);
    await db.query(`CREATE INDEX batches_clinic ON batches (clinic_id, created_at DESC, id)`);
    await db.query(`CREATE INDEX batches_donor ON batches (donor_id)`);
    // Sweeps look only at batches still in play; a partial index keeps that cost flat as history grows.
    await db.query(
      `CREATE INDEX batches_active ON batches (status) WHERE status IN ('RECEIVED', 'IN_CULTURE', 'CULTURE_COMPLETE', 'RELEASED')`,
    );

    await db.query(`
      CREATE TABLE batch_isolations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id uuid NOT NULL REFERENCES batches(id),
        performed_at timestamptz NOT NULL,
        tissue_weight_g numeric(8, 3) CHECK (tissue_weight_g > 0),
        cell_count bigint NOT NULL CHECK (cell_count > 0 AND cell_count <= 1000000000000),
        viability_pct numeric(5, 2) NOT NULL CHECK (viability_pct BETWEEN 0 AND 100),
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT batch_isolations_once UNIQUE (batch_id)
      )`);

    await db.query(`
      CREATE TABLE batch_passages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id uuid NOT NULL REFERENCES batches(id),
        passage_number integer NOT NULL CHECK (passage_number >= 1),
        performed_at timestamptz NOT NULL,
        cells_harvested bigint NOT NULL CHECK (cells_harvested > 0 AND cells_harvested <= 1000000000000),
        viability_pct numeric(5, 2) NOT NULL CHECK (viability_pct BETWEEN 0 AND 100),
        cells_seeded bigint NOT NULL CHECK (cells_seeded > 0 AND cells_seeded <= 1000000000000),
        vessel_count integer CHECK (vessel_count > 0),
        confluence_pct numeric(5, 2) CHECK (confluence_pct BETWEEN 0 AND 100),
        corrects_id uuid REFERENCES batch_passages(id),
        superseded_by uuid,
        reason text,
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT batch_passages_corrects_once UNIQUE (corrects_id),
        CONSTRAINT batch_passages_reason_with_correction CHECK (corrects_id IS NULL OR reason IS NOT NULL)
      )`);
    // One current entry per passage number: two technicians recording P2 at once cannot both succeed.
    await db.query(
      `CREATE UNIQUE INDEX batch_passages_one_current ON batch_passages (batch_id, passage_number) WHERE superseded_by IS NULL`,
    );

    await db.query(`
      CREATE TABLE batch_cell_counts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ordinal bigserial NOT NULL,
        batch_id uuid NOT NULL REFERENCES batches(id),
        passage_number integer NOT NULL CHECK (passage_number >= 0),
        counted_at timestamptz NOT NULL,
        total_cells bigint NOT NULL CHECK (total_cells > 0 AND total_cells <= 1000000000000),
        viability_pct numeric(5, 2) NOT NULL CHECK (viability_pct BETWEEN 0 AND 100),
        method text CHECK (length(method) <= 100),
        corrects_id uuid REFERENCES batch_cell_counts(id),
        superseded_by uuid,
        reason text,
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT batch_cell_counts_corrects_once UNIQUE (corrects_id),
        CONSTRAINT batch_cell_counts_reason_with_correction CHECK (corrects_id IS NULL OR reason IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX batch_cell_counts_batch ON batch_cell_counts (batch_id, ordinal)`);

    await db.query(`
      CREATE TABLE batch_final_harvests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id uuid NOT NULL REFERENCES batches(id),
        performed_at timestamptz NOT NULL,
        total_cells bigint NOT NULL CHECK (total_cells > 0 AND total_cells <= 1000000000000),
        viability_pct numeric(5, 2) NOT NULL CHECK (viability_pct BETWEEN 0 AND 100),
        viable_cells bigint GENERATED ALWAYS AS (floor(total_cells * viability_pct / 100)::bigint) STORED,
        corrects_id uuid REFERENCES batch_final_harvests(id),
        superseded_by uuid,
        reason text,
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT batch_final_harvests_corrects_once UNIQUE (corrects_id),
        CONSTRAINT batch_final_harvests_reason_with_correction CHECK (corrects_id IS NULL OR reason IS NOT NULL)
      )`);
    await db.query(
      `CREATE UNIQUE INDEX batch_final_harvests_one_current ON batch_final_harvests (batch_id) WHERE superseded_by IS NULL`,
    );

    await db.query(`
      CREATE TABLE qc_results (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ordinal bigserial NOT NULL,
        batch_id uuid NOT NULL REFERENCES batches(id),
        test text NOT NULL CHECK (test IN ('STERILITY', 'MYCOPLASMA', 'ENDOTOXIN', 'VIABILITY', 'CELL_COUNT', 'IDENTITY_POSITIVE', 'IDENTITY_NEGATIVE')),
        result text CHECK (result IN ('NEGATIVE', 'POSITIVE', 'PENDING')),
        value numeric CHECK (value >= 0),
        qualifier text CHECK (qualifier = '<'),
        unit text,
        tested_at timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('PASS', 'FAIL', 'PENDING')),
        -- The limits applied, copied from the specification: a later spec change never re-judges history.
        applied_spec jsonb NOT NULL,
        specification_id uuid NOT NULL REFERENCES specifications(id),
        recorded_after_release boolean NOT NULL DEFAULT false,
        corrects_id uuid REFERENCES qc_results(id),
        superseded_by uuid,
        reason text,
        recorded_by uuid NOT NULL REFERENCES users(id),
        recorded_by_role text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT qc_results_corrects_once UNIQUE (corrects_id),
        CONSTRAINT qc_results_reason_with_correction CHECK (corrects_id IS NULL OR reason IS NOT NULL),
        CONSTRAINT qc_results_result_or_value CHECK ((result IS NULL) <> (value IS NULL))
      )`);
    await db.query(`CREATE INDEX qc_results_batch ON qc_results (batch_id, ordinal)`);

    await db.query(`
      CREATE TABLE deviations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id uuid NOT NULL REFERENCES batches(id),
        description text NOT NULL CHECK (length(description) BETWEEN 1 AND 5000),
        severity text NOT NULL CHECK (severity IN ('MINOR', 'MAJOR', 'CRITICAL')),
        occurred_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
        opened_by uuid NOT NULL REFERENCES users(id),
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_by uuid REFERENCES users(id),
        closed_at timestamptz,
        resolution text,
        signature jsonb,
        CONSTRAINT deviations_closed_complete CHECK (
          (status = 'OPEN' AND closed_at IS NULL) OR
          (status = 'CLOSED' AND closed_at IS NOT NULL AND closed_by IS NOT NULL AND signature IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX deviations_batch ON deviations (batch_id)`);
    await db.query(`CREATE INDEX deviations_open ON deviations (batch_id) WHERE status = 'OPEN'`);

    // Rule 6, a batch is decided once: the primary key on batch_id is the referee between two racing QA users.
    await db.query(`
      CREATE TABLE batch_decisions (
        batch_id uuid PRIMARY KEY REFERENCES batches(id),
        decision text NOT NULL CHECK (decision IN ('RELEASE', 'REJECT')),
        signer_id uuid NOT NULL REFERENCES users(id),
        signer_name text NOT NULL,
        meaning text NOT NULL CHECK (length(meaning) > 0),
        reason text,
        signed_at timestamptz NOT NULL,
        record_hash text NOT NULL CHECK (record_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT batch_decisions_reject_reason CHECK (decision = 'RELEASE' OR reason IS NOT NULL)
      )`);

    await db.query(`
      CREATE TABLE material_lots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('COLLAGENASE', 'MEDIUM', 'SUPPLEMENT', 'DISSOCIATION', 'CRYOPROTECTANT', 'OTHER')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        lot_number text NOT NULL CHECK (length(lot_number) BETWEEN 1 AND 100),
        expires_at timestamptz NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT material_lots_kind_lot_unique UNIQUE (kind, lot_number)
      )`);
    await db.query(`CREATE INDEX material_lots_created ON material_lots (created_at DESC, id)`);
    await db.query(`
      CREATE TABLE material_usages (
        id bigserial PRIMARY KEY,
        lot_id uuid NOT NULL REFERENCES material_lots(id),
        batch_id uuid NOT NULL REFERENCES batches(id),
        event_type text NOT NULL CHECK (event_type IN ('ISOLATION', 'PASSAGE', 'DOSE', 'CRYOPRESERVATION')),
        event_id uuid NOT NULL,
        used_at timestamptz NOT NULL,
        CONSTRAINT material_usages_once UNIQUE (lot_id, event_type, event_id)
      )`);
    // The recall list starts from the lot: an index on lot_id keeps it fast however many events exist.
    await db.query(`CREATE INDEX material_usages_lot ON material_usages (lot_id, batch_id)`);
    await db.query(`CREATE INDEX material_usages_batch ON material_usages (batch_id)`);

    await db.query(`
      CREATE TABLE doses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        batch_id uuid NOT NULL REFERENCES batches(id),
        label text NOT NULL,
        kind text NOT NULL DEFAULT 'FRESH' CHECK (kind IN ('FRESH', 'BOOSTER')),
        booster_id uuid,
        cells bigint NOT NULL CHECK (cells > 0),
        volume_ml numeric(8, 2) NOT NULL CHECK (volume_ml > 0),
        formulated_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'FORMULATED'
          CHECK (status IN ('FORMULATED', 'DISPATCHED', 'RECEIVED', 'REJECTED', 'ADMINISTERED', 'DESTROYED', 'RECALLED')),
        formulated_by uuid NOT NULL REFERENCES users(id),
        dispatched_at timestamptz,
        received_at timestamptz,
        receipt_temperature_c numeric(5, 2),
        receipt_intact boolean,
        receipt_deviations jsonb NOT NULL DEFAULT '[]'::jsonb,
        administered_at timestamptz,
        administered_by uuid REFERENCES users(id),
        site text CHECK (site IN ('LEFT_KNEE', 'RIGHT_KNEE')),
        destroyed_at timestamptz,
        destruction_reason text,
        recalled_at timestamptz,
        recall_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT doses_label_unique UNIQUE (label)
      )`);
    await db.query(`CREATE INDEX doses_batch ON doses (batch_id, formulated_at)`);
    // Doses still in play, for readiness and expiry sweeps.
    await db.query(
      `CREATE INDEX doses_live ON doses (expires_at) WHERE status IN ('FORMULATED', 'DISPATCHED', 'RECEIVED')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'doses',
      'material_usages',
      'material_lots',
      'batch_decisions',
      'deviations',
      'qc_results',
      'batch_final_harvests',
      'batch_cell_counts',
      'batch_passages',
      'batch_isolations',
      'batches',
      'din_sequences',
      'specifications',
      'harvests',
      'donor_screenings',
      'donor_consents',
      'donors',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}

/** The default specification (docs/domain.md, "Specifications") for cultured adipose-derived stem cells (IFATS/ISCT 2013). */
const DEFAULT_LIMITS = {
  STERILITY: { kind: 'CATEGORICAL', pass: 'NEGATIVE', allowPending: true },
  MYCOPLASMA: { kind: 'CATEGORICAL', pass: 'NEGATIVE', allowPending: false },
  ENDOTOXIN: { kind: 'NUMERIC', unit: 'EU/mL', operator: '<', limit: 0.5 },
  VIABILITY: { kind: 'NUMERIC', unit: '%', operator: '>=', limit: 70 },
  CELL_COUNT: { kind: 'NUMERIC', unit: 'cells', operator: '>=', limit: 'TARGET_CELL_COUNT' },
  IDENTITY_POSITIVE: { kind: 'NUMERIC', unit: '%', operator: '>=', limit: 80 },
  IDENTITY_NEGATIVE: { kind: 'NUMERIC', unit: '%', operator: '<=', limit: 2 },
};
