-- step: bank plan | after: history plan
-- Ten years of banked cells: every banked history batch (i % 5 = 2) froze five vials of 1e7 viable cells.
-- Vial k sits in box k / 90 at slot k % 90 of a 10 x 10 box (rows 1-9 filled in order, row 10 left free),
-- so no two vials share a position; a fifth of the vials (two of five, in every other batch) were discarded
-- since, freeing their places (the
-- unique index on live positions is rebuilt over this data and holds). Boxes stand ten to a rack, racks
-- fifty to a liquid-nitrogen tank; a biohazard tank with empty boxes stands apart.
CREATE UNLOGGED TABLE bench.bank_plan AS
SELECT (i - 2) / 5 AS b, i, donor, clinic, din, final_at + interval '3 hours' AS frozen_at,
       -- The next yearly review lies 31 days to a year ahead: nothing is due, so no sweep has work at start.
       date_trunc('day', now()) + interval '31 days' + ((i - 2) / 5 % 330) * interval '1 day' AS due_at
  FROM bench.history WHERE i % 5 = 2;

-- step: bank storage units | after: bank plan
CREATE UNLOGGED TABLE bench.box_plan AS
SELECT x, x / 10 AS rack, x / 500 AS tank
  FROM generate_series(0, (SELECT count(*) * 5 / 90 + 10 FROM bench.bank_plan)) AS x;

INSERT INTO storage_units (id, name, kind, root_id, root_kind, biohazard, path, created_by, created_at)
SELECT bench.id(9, t), 'Tank ' || lpad(t::text, 3, '0'), 'TANK', bench.id(9, t), 'TANK', false,
       'Tank ' || lpad(t::text, 3, '0'), bench.user_id('admin'), now() - interval '10 years'
  FROM (SELECT DISTINCT tank AS t FROM bench.box_plan) tanks;

INSERT INTO storage_units (id, name, kind, parent_id, parent_kind, root_id, root_kind, biohazard, path, created_by, created_at)
SELECT bench.id(9, 100000 + r), 'Rack ' || lpad((r % 50)::text, 2, '0'), 'RACK', bench.id(9, t), 'TANK', bench.id(9, t),
       'TANK', false, 'Tank ' || lpad(t::text, 3, '0') || ' / Rack ' || lpad((r % 50)::text, 2, '0'),
       bench.user_id('admin'), now() - interval '10 years'
  FROM (SELECT DISTINCT rack AS r, tank AS t FROM bench.box_plan) racks;

INSERT INTO storage_units (id, name, kind, parent_id, parent_kind, root_id, root_kind, biohazard, rows, cols, path,
                           created_by, created_at)
SELECT bench.id(9, 1000000 + x), 'Box ' || lpad((x % 10)::text, 2, '0'), 'BOX', bench.id(9, 100000 + rack), 'RACK',
       bench.id(9, tank), 'TANK', false, 10, 10,
       'Tank ' || lpad(tank::text, 3, '0') || ' / Rack ' || lpad((rack % 50)::text, 2, '0') || ' / Box '
         || lpad((x % 10)::text, 2, '0'),
       bench.user_id('admin'), now() - interval '10 years'
  FROM bench.box_plan;

INSERT INTO storage_units (id, name, kind, root_id, root_kind, biohazard, path, created_by, created_at)
VALUES (bench.id(9, 99999), 'Tank BH', 'TANK', bench.id(9, 99999), 'TANK', true, 'Tank BH', bench.user_id('admin'),
        now() - interval '10 years');
INSERT INTO storage_units (id, name, kind, parent_id, parent_kind, root_id, root_kind, biohazard, rows, cols, path,
                           created_by, created_at)
SELECT bench.id(9, 999000 + x), 'Box ' || lpad(x::text, 2, '0'), 'BOX', bench.id(9, 99999), 'TANK', bench.id(9, 99999),
       'TANK', true, 10, 10, 'Tank BH / Box ' || lpad(x::text, 2, '0'), bench.user_id('admin'), now() - interval '10 years'
  FROM generate_series(0, 9) AS x;

-- step: bank reviews | after: bank plan
INSERT INTO storage_reviews (id, donor_id, clinic_id, due_at, status, created_at, updated_at)
SELECT bench.id(10, b), bench.id(3, donor), bench.clinic_id(clinic), due_at, 'PENDING', frozen_at, frozen_at
  FROM bench.bank_plan;

-- step: bank cryopreservations | after: bank plan
INSERT INTO cryopreservations (id, batch_id, frozen_at, medium, dmso_pct, vial_count, total_cells, recorded_by, recorded_at)
SELECT bench.id(7, b), bench.id(5, i), frozen_at, 'CryoStor CS10', 10, 5, 50000000, bench.user_id('technician'), frozen_at
  FROM bench.bank_plan;

-- step: bank vials | after: bank plan
INSERT INTO vials (id, label, batch_id, ordinal, donor_id, clinic_id, cryopreservation_id, cells, status, box_id,
                   box_rows, box_cols, box_root_kind, pos_row, pos_col, frozen_at, review_base_at, next_review_at,
                   review_id, discarded_at, discarded_by, discard_reason, created_by, created_at, updated_at)
SELECT bench.vial_id(i, ordinal, k), din || '-V' || lpad(ordinal::text, 3, '0'), bench.id(5, i), ordinal, bench.id(3, donor),
       bench.clinic_id(clinic), bench.id(7, b), 10000000,
       CASE WHEN discarded THEN 'DISCARDED' ELSE 'STORED' END,
       bench.id(9, 1000000 + k / 90), 10, 10, 'TANK', (k % 90) / 10 + 1, k % 10 + 1, frozen_at,
       due_at - interval '12 months', due_at, CASE WHEN NOT discarded THEN bench.id(10, b) END,
       CASE WHEN discarded THEN frozen_at + interval '1 year' END,
       CASE WHEN discarded THEN bench.user_id('qa') END,
       CASE WHEN discarded THEN 'Storage review: donor asked for disposal' END,
       bench.user_id('technician'), frozen_at, coalesce(CASE WHEN discarded THEN frozen_at + interval '1 year' END, frozen_at)
  FROM (SELECT p.*, 5 * p.b + ordinal - 1 AS k, ordinal, ordinal IN (1, 3) AND p.b % 2 = 0 AS discarded
          FROM bench.bank_plan p, generate_series(1, 5) AS ordinal) v
 ORDER BY (i * 2654435761) % 4294967296, ordinal;

-- step: bank vial history | after: bank plan
INSERT INTO vial_events (vial_id, event, at, recorded_at, actor_id, actor_role, to_status, box_id, pos_row, pos_col)
SELECT bench.vial_id(i, ordinal, k), 'FROZEN', frozen_at, frozen_at, bench.user_id('technician'), 'technician', 'STORED',
       bench.id(9, 1000000 + k / 90), (k % 90) / 10 + 1, k % 10 + 1
  FROM (SELECT p.i, p.frozen_at, ordinal, 5 * p.b + ordinal - 1 AS k
          FROM bench.bank_plan p, generate_series(1, 5) AS ordinal) v;

INSERT INTO vial_events (vial_id, event, at, recorded_at, actor_id, actor_role, from_status, to_status, reason)
SELECT bench.vial_id(p.i, ordinal, 5 * p.b + ordinal - 1), 'DISCARDED', p.frozen_at + interval '1 year', p.frozen_at + interval '1 year',
       bench.user_id('qa'), 'qa', 'STORED', 'DISCARDED', 'Storage review: donor asked for disposal'
  FROM bench.bank_plan p, generate_series(1, 5) AS ordinal
 WHERE ordinal IN (1, 3) AND p.b % 2 = 0;
