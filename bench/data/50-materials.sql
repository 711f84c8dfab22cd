-- step: material lots
-- Every history batch was isolated with a collagenase lot (a lot lasts 500 batches) and expanded in a medium
-- lot (20,000 batches: a large medium lot shared by the whole facility). A medium lot's recall list is
-- therefore 20,000 batches with their doses: the largest list a lot makes here, and the one whose first page
-- the recall scenario times.
INSERT INTO material_lots (id, kind, name, lot_number, expires_at, created_by, created_at)
SELECT bench.id(11, k), 'COLLAGENASE', 'Collagenase NB 4', 'COL-' || lpad(k::text, 6, '0'),
       now() + interval '1 year', bench.user_id('admin'), now() - interval '11 years'
  FROM generate_series(0, (bench.setting('historical') - 1) / 500) AS k
UNION ALL
SELECT bench.id(12, k), 'MEDIUM', 'MSC expansion medium', 'MED-' || lpad(k::text, 6, '0'),
       now() + interval '1 year', bench.user_id('admin'), now() - interval '11 years'
  FROM generate_series(0, (bench.setting('historical') - 1) / 20000) AS k;

-- step: material usages in isolations | after: history plan
INSERT INTO material_usages (lot_id, batch_id, event_type, event_id, used_at)
SELECT bench.id(11, (i - 1) / 500), bench.id(5, i), 'ISOLATION', bench.id(15, i), created + interval '1 hour'
  FROM bench.history;

-- step: material usages in passages | after: history plan
INSERT INTO material_usages (lot_id, batch_id, event_type, event_id, used_at)
SELECT bench.id(12, (i - 1) / 20000), bench.id(5, i), 'PASSAGE', bench.id(16, i), created + interval '5 days'
  FROM bench.history;
