-- step: history plan
-- Ten years of finished batches (bench.historical of them), evenly spread from ten years ago to 60 days ago,
-- so every sweep and look-up meets the volume it will meet in production. By i % 20: 0 REJECTED,
-- 1 DISCARDED (in culture), else RELEASED (expired long since, its dose administered). Every fifth batch
-- (i % 5 = 2, always a released one) was banked: 40-bank.sql freezes its vials. One donor gives two batches
-- (a first treatment and a later one). The plan is computed once, with each year's DIN sequence.
CREATE UNLOGGED TABLE bench.history AS
SELECT i, created,
       (i + 1) / 2 AS donor,
       (((i + 1) / 2) % bench.setting('clinics'))::int AS clinic,
       CASE WHEN i % 20 = 0 THEN 'REJECTED' WHEN i % 20 = 1 THEN 'DISCARDED' ELSE 'RELEASED' END AS status,
       created + interval '20 days' AS final_at,
       bench.din(current_setting('bench.fin'), yy, seq::int) AS din,
       bench.din_check(current_setting('bench.fin'), yy, seq::int) AS din_check
  FROM (SELECT i, created, yy, row_number() OVER (PARTITION BY yy ORDER BY i) AS seq
          FROM (SELECT i, created, (extract(year FROM created AT TIME ZONE 'Asia/Tokyo')::int % 100) AS yy
                  FROM (SELECT i, now() - interval '10 years'
                                  + (i - 1) * ((interval '10 years' - interval '60 days') / bench.setting('historical')) AS created
                          FROM generate_series(1, bench.setting('historical')) AS i) timed) yearly) numbered;

-- step: history donors | after: history plan
INSERT INTO donors (id, code, clinic_id, birth_year, sex, created_by, created_at)
SELECT bench.id(3, donor), bench.donor_code(donor), bench.clinic_id(clinic), 1940 + (donor % 60)::int,
       (ARRAY['F', 'M'])[1 + (donor % 2)::int], bench.doctor_id(clinic), created - interval '10 days'
  FROM bench.history WHERE i % 2 = 1
 ORDER BY (donor * 2654435761) % 4294967296;

-- step: history consents | after: history plan
INSERT INTO donor_consents (id, donor_id, treatment, banking, signed_at, recorded_by, recorded_at)
SELECT bench.id(19, donor), bench.id(3, donor), true, true, created - interval '10 days', bench.doctor_id(clinic),
       created - interval '10 days'
  FROM bench.history WHERE i % 2 = 1
 ORDER BY (donor * 2654435761) % 4294967296;

-- step: history harvests | after: history plan
INSERT INTO harvests (id, donor_id, clinic_id, tissue, volume_ml, collected_at, collected_by, status, received_at,
                      received_by, temperature_c, intact, created_at)
SELECT bench.id(4, i), bench.id(3, donor), bench.clinic_id(clinic), 'ADIPOSE', 20, created - interval '1 day',
       bench.doctor_id(clinic), 'RECEIVED', created - interval '2 hours', bench.user_id('technician'), 4, true,
       created - interval '1 day'
  FROM bench.history
 ORDER BY (i * 2654435761) % 4294967296;

-- step: history batches | after: history plan
-- Released: the fresh dose (1e8 viable cells) and, when banked, five vials of 1e7 came out of 1.84e8.
INSERT INTO batches (id, din, din_check, harvest_id, donor_id, clinic_id, product_type, specification_id,
                     target_cell_count, status, current_passage, viable_cells_yielded, cells_drawn, expires_at,
                     created_by, created_at, updated_at)
SELECT bench.id(5, i), din, din_check, bench.id(4, i), bench.id(3, donor), bench.clinic_id(clinic), 'CULTURED_ADSC',
       spec.id, 100000000, status,
       CASE WHEN status = 'DISCARDED' THEN 2 ELSE 3 END,
       CASE WHEN status = 'DISCARDED' THEN NULL ELSE 184000000 END,
       CASE WHEN status <> 'RELEASED' THEN 0 WHEN i % 5 = 2 THEN 150000000 ELSE 100000000 END,
       CASE WHEN status = 'RELEASED' THEN final_at + interval '48 hours' END,
       bench.user_id('technician'), created, final_at + interval '2 hours'
  FROM bench.history
 CROSS JOIN (SELECT id FROM specifications WHERE product_type = 'CULTURED_ADSC' AND active) spec;

-- step: history final harvests | after: history plan
INSERT INTO batch_final_harvests (id, batch_id, performed_at, total_cells, viability_pct, recorded_by, recorded_at)
SELECT bench.id(14, i), bench.id(5, i), final_at, 200000000, 92, bench.user_id('technician'), final_at
  FROM bench.history WHERE status <> 'DISCARDED'
 ORDER BY (i * 2654435761) % 4294967296;

-- step: history decisions | after: history plan
INSERT INTO batch_decisions (batch_id, decision, signer_id, signer_name, meaning, reason, signed_at, record_hash)
SELECT bench.id(5, i), CASE WHEN status = 'RELEASED' THEN 'RELEASE' ELSE 'REJECT' END, bench.user_id('qa'), 'Bench qa',
       CASE WHEN status = 'RELEASED' THEN 'Released for clinical use' ELSE 'Rejected' END,
       CASE WHEN status = 'REJECTED' THEN 'Viability below specification' END,
       final_at + interval '2 hours', md5(din) || md5(din_check || din)
  FROM bench.history WHERE status <> 'DISCARDED'
 ORDER BY (i * 2654435761) % 4294967296;

-- step: history doses | after: history plan
INSERT INTO doses (id, batch_id, label, cells, volume_ml, formulated_at, expires_at, status, formulated_by,
                   dispatched_at, received_at, receipt_temperature_c, receipt_intact, administered_at,
                   administered_by, site, created_at)
SELECT bench.id(6, i), bench.id(5, i), din || '-D01', 100000000, 3, final_at + interval '3 hours',
       final_at + interval '48 hours', 'ADMINISTERED', bench.user_id('technician'), final_at + interval '4 hours',
       final_at + interval '20 hours', 5, true, final_at + interval '26 hours', bench.doctor_id(clinic),
       (ARRAY['LEFT_KNEE', 'RIGHT_KNEE'])[1 + (i % 2)::int], final_at + interval '3 hours'
  FROM bench.history WHERE status = 'RELEASED';

-- step: history post-release failures | after: history plan
-- One released batch in ten thousand failed a QC test after release; QA acknowledged the recall notice.
-- The readiness sweep looks for failures without their flag, so these must cost it nothing.
INSERT INTO qc_results (id, batch_id, test, value, unit, tested_at, outcome, applied_spec, specification_id,
                        recorded_after_release, recorded_by, recorded_by_role, recorded_at)
SELECT bench.id(17, i), bench.id(5, i), 'ENDOTOXIN', 0.9, 'EU/mL', final_at + interval '3 days', 'FAIL',
       spec.limits -> 'ENDOTOXIN', spec.id, true, bench.user_id('technician2'), 'technician', final_at + interval '3 days'
  FROM bench.history
 CROSS JOIN (SELECT id, limits FROM specifications WHERE product_type = 'CULTURED_ADSC' AND active) spec
 WHERE status = 'RELEASED' AND i % 10000 = 7;

INSERT INTO flags (type, subject_type, subject_id, status, clinic_id, batch_id, details, raised_at, acknowledged_at,
                   acknowledged_by, resolved_at, resolved_by, resolution)
SELECT 'POST_RELEASE_QC_FAILURE', 'qc_result', bench.id(17, i), 'RESOLVED', bench.clinic_id(clinic), bench.id(5, i),
       jsonb_build_object('din', din, 'test', 'ENDOTOXIN'), final_at + interval '3 days',
       final_at + interval '4 days', bench.user_id('qa'), final_at + interval '4 days', bench.user_id('qa'),
       'ACKNOWLEDGED_BY_QA'
  FROM bench.history WHERE status = 'RELEASED' AND i % 10000 = 7;

-- step: history flags | after: history plan
-- Every released batch was once ready for injection; the flag is resolved now. The sweep reads open flags
-- only (partial indexes), so these must cost it nothing.
INSERT INTO flags (id, type, subject_type, subject_id, status, clinic_id, batch_id, details, raised_at, resolved_at, resolution)
SELECT bench.id(13, i), 'READY_FOR_INJECTION', 'batch', bench.id(5, i), 'RESOLVED', bench.clinic_id(clinic), bench.id(5, i),
       jsonb_build_object('din', din), final_at + interval '3 hours', final_at + interval '48 hours', 'CONDITION_ENDED'
  FROM bench.history
 WHERE status = 'RELEASED'
 ORDER BY (i * 2654435761) % 4294967296;
