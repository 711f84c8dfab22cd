-- step: active batches
-- The batches in play (bench.active of them), at every stage the sweeps and the technicians see, by n % 10:
--   0-3 IN_CULTURE (isolated, 1-3 passages, a count): what the cell-count load writes to
--   4   CULTURE_COMPLETE, QC complete and passing: ready for release
--   5   CULTURE_COMPLETE, QC incomplete (no identity tests yet): not ready
--   6-7 RELEASED within shelf life, with a formulated dose: ready for injection
--   8-9 RECEIVED, not yet isolated
-- Each is a consistent record (donor with consent and screening, received harvest, steps in time order), so
-- the API accepts new steps on it and the views and sweeps read it as they would a real one.
CREATE TABLE bench.active AS
SELECT n,
       (n % bench.setting('clinics'))::int AS clinic,
       CASE WHEN n % 10 < 4 THEN 'IN_CULTURE' WHEN n % 10 < 6 THEN 'CULTURE_COMPLETE'
            WHEN n % 10 < 8 THEN 'RELEASED' ELSE 'RECEIVED' END AS status,
       CASE WHEN n % 10 < 4 THEN 1 + (n % 3)::int WHEN n % 10 < 8 THEN 3 ELSE NULL END AS passages,
       -- When the current interval's seeding, or the final harvest, happened: days ago, so new steps fit after.
       CASE WHEN n % 10 < 4 THEN now() - interval '2 days' - (n % 7) * interval '1 hour'
            WHEN n % 10 < 6 THEN now() - interval '2 days'
            WHEN n % 10 < 8 THEN now() - interval '12 hours'
            ELSE NULL END AS anchor_at,
       bench.din(current_setting('bench.fin'), (extract(year FROM now() AT TIME ZONE 'Asia/Tokyo')::int % 100),
                 900000 + n::int) AS din,
       bench.din_check(current_setting('bench.fin'), (extract(year FROM now() AT TIME ZONE 'Asia/Tokyo')::int % 100),
                       900000 + n::int) AS din_check
  FROM generate_series(0, bench.setting('active') - 1) AS n;

-- Timeline: isolation at t0 + 1 h, passage p at t0 + 1 h + 5p days; the final harvest 3 days after P3.
ALTER TABLE bench.active ADD COLUMN t0 timestamptz;
UPDATE bench.active SET t0 = CASE
  WHEN status = 'IN_CULTURE' THEN anchor_at - interval '1 hour' - passages * interval '5 days'
  WHEN status IN ('CULTURE_COMPLETE', 'RELEASED') THEN anchor_at - interval '1 hour' - interval '18 days'
  ELSE now() - interval '1 day' END;

INSERT INTO donors (id, code, clinic_id, birth_year, sex, created_by, created_at)
SELECT bench.id(21, n), bench.donor_code(549755813888 + n), bench.clinic_id(clinic), 1950 + (n % 50)::int,
       (ARRAY['F', 'M'])[1 + (n % 2)::int], bench.doctor_id(clinic), t0 - interval '10 days'
  FROM bench.active;

INSERT INTO donor_consents (donor_id, treatment, banking, signed_at, recorded_by, recorded_at)
SELECT bench.id(21, n), true, true, t0 - interval '10 days', bench.doctor_id(clinic), t0 - interval '10 days'
  FROM bench.active;

INSERT INTO donor_screenings (donor_id, marker, result, tested_at, recorded_by, recorded_by_role, recorded_at)
SELECT bench.id(21, n), marker, 'NEGATIVE', t0 - interval '9 days', bench.doctor_id(clinic), 'doctor', t0 - interval '9 days'
  FROM bench.active, unnest(ARRAY['HBV', 'HCV', 'HIV', 'HTLV1', 'SYPHILIS']) AS marker;

INSERT INTO harvests (id, donor_id, clinic_id, tissue, volume_ml, collected_at, collected_by, status, received_at,
                      received_by, temperature_c, intact, created_at)
SELECT bench.id(22, n), bench.id(21, n), bench.clinic_id(clinic), 'ADIPOSE', 20, t0 - interval '1 day',
       bench.doctor_id(clinic), 'RECEIVED', t0 - interval '2 hours', bench.user_id('technician'), 4, true,
       t0 - interval '1 day'
  FROM bench.active;

INSERT INTO batches (id, din, din_check, harvest_id, donor_id, clinic_id, product_type, specification_id,
                     target_cell_count, status, current_passage, viable_cells_yielded, cells_drawn, expires_at,
                     created_by, created_at, updated_at)
SELECT bench.id(23, n), din, din_check, bench.id(22, n), bench.id(21, n), bench.clinic_id(clinic), 'CULTURED_ADSC',
       (SELECT id FROM specifications WHERE product_type = 'CULTURED_ADSC' AND active), 100000000, status,
       passages,
       CASE WHEN status IN ('CULTURE_COMPLETE', 'RELEASED') THEN 184000000 END,
       CASE WHEN status = 'RELEASED' THEN 100000000 ELSE 0 END,
       CASE WHEN status = 'RELEASED' THEN anchor_at + interval '48 hours' END,
       bench.user_id('technician'), t0, t0
  FROM bench.active;

INSERT INTO batch_isolations (batch_id, performed_at, tissue_weight_g, cell_count, viability_pct, recorded_by, recorded_at)
SELECT bench.id(23, n), t0 + interval '1 hour', 18.5, 2000000, 90, bench.user_id('technician'), t0 + interval '1 hour'
  FROM bench.active WHERE status <> 'RECEIVED';

INSERT INTO batch_passages (batch_id, passage_number, performed_at, cells_harvested, viability_pct, cells_seeded,
                            vessel_count, recorded_by, recorded_at)
SELECT bench.id(23, n), p, t0 + interval '1 hour' + p * interval '5 days', 16000000, 93, 2000000, 4,
       bench.user_id('technician'), t0 + interval '1 hour' + p * interval '5 days'
  FROM bench.active, generate_series(1, passages) AS p
 WHERE status <> 'RECEIVED';

INSERT INTO batch_cell_counts (batch_id, passage_number, counted_at, total_cells, viability_pct, method, recorded_by, recorded_at)
SELECT bench.id(23, n), passages, anchor_at + interval '1 hour', 6000000, 94, 'hemocytometer',
       bench.user_id('technician'), anchor_at + interval '1 hour'
  FROM bench.active WHERE status = 'IN_CULTURE';

INSERT INTO batch_final_harvests (batch_id, performed_at, total_cells, viability_pct, recorded_by, recorded_at)
SELECT bench.id(23, n), anchor_at, 200000000, 92, bench.user_id('technician'), anchor_at
  FROM bench.active WHERE status IN ('CULTURE_COMPLETE', 'RELEASED');

-- QC recorded by the second technician: the QA signer recorded nothing on these batches (four eyes).
INSERT INTO qc_results (batch_id, test, result, value, qualifier, unit, tested_at, outcome, applied_spec,
                        specification_id, recorded_by, recorded_by_role, recorded_at)
SELECT bench.id(23, a.n), t.test, t.result, t.value, t.qualifier, t.unit, a.anchor_at + interval '1 hour', 'PASS',
       CASE WHEN t.test = 'CELL_COUNT' THEN jsonb_set(s.limits -> t.test, '{limit}', '100000000')
            ELSE s.limits -> t.test END,
       s.id, bench.user_id('technician2'), 'technician', a.anchor_at + interval '1 hour'
  FROM bench.active a
  CROSS JOIN (SELECT id, limits FROM specifications WHERE product_type = 'CULTURED_ADSC' AND active) s
  CROSS JOIN (VALUES ('STERILITY', 'NEGATIVE', NULL::numeric, NULL, NULL),
                     ('MYCOPLASMA', 'NEGATIVE', NULL, NULL, NULL),
                     ('ENDOTOXIN', NULL, 0.05, '<', 'EU/mL'),
                     ('VIABILITY', NULL, 92, NULL, '%'),
                     ('CELL_COUNT', NULL, 184000000, NULL, 'cells'),
                     ('IDENTITY_POSITIVE', NULL, 96.5, NULL, '%'),
                     ('IDENTITY_NEGATIVE', NULL, 0.8, NULL, '%')) AS t(test, result, value, qualifier, unit)
 WHERE a.status = 'RELEASED' OR (a.status = 'CULTURE_COMPLETE' AND (a.n % 10 = 4 OR t.test NOT LIKE 'IDENTITY%'));

INSERT INTO batch_decisions (batch_id, decision, signer_id, signer_name, meaning, signed_at, record_hash)
SELECT bench.id(23, n), 'RELEASE', bench.user_id('qa'), 'Bench qa', 'Released for clinical use',
       anchor_at + interval '2 hours', encode(sha256(convert_to(din, 'UTF8')), 'hex')
  FROM bench.active WHERE status = 'RELEASED';

INSERT INTO doses (id, batch_id, label, cells, volume_ml, formulated_at, expires_at, status, formulated_by, created_at)
SELECT bench.id(29, n), bench.id(23, n), din || '-D01', 100000000, 3, anchor_at + interval '3 hours',
       anchor_at + interval '48 hours', 'FORMULATED', bench.user_id('technician'), anchor_at + interval '3 hours'
  FROM bench.active WHERE status = 'RELEASED';
