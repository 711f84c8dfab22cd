-- step: readings tanks
-- Twenty liquid-nitrogen tanks monitored for ten years (bench.readings_tanks of them), with a partition for every
-- month from ten years ago to next month, made by the application's own function.
INSERT INTO storage_units (id, name, kind, root_id, root_kind, biohazard, path, created_by, created_at)
SELECT bench.id(40, n), 'Monitored tank ' || n, 'TANK', bench.id(40, n), 'TANK', false, 'Monitored tank ' || n,
       bench.user_id('admin'), now() - interval '11 years'
  FROM generate_series(1, bench.setting('readings_tanks')) AS n;
SELECT count(temperature_readings_ensure_month(m))
  FROM generate_series(date_trunc('month', now() - make_interval(months => bench.setting('readings_months')::int)),
                       now() + interval '1 month', interval '1 month') AS m;

-- step: readings, the charted month | after: readings tanks
-- The month the chart scenario draws, four months back, at the monitors' real rate: one reading a minute from
-- every tank, interleaved as they arrive (about 900,000 rows in one partition at full scale).
INSERT INTO temperature_readings (unit_id, at, temperature_c, out_of_range)
SELECT bench.id(40, n), t, (-190 + 3 * sin(extract(epoch FROM t) / 86400.0) + n * 0.05)::real, false
  FROM generate_series(date_trunc('month', now() - interval '4 months'),
                       date_trunc('month', now() - interval '3 months') - interval '1 minute', interval '1 minute') AS t,
       generate_series(1, bench.setting('readings_tanks')) AS n;

-- step: readings, the years before | after: readings tanks
-- Every other month back to ten years ago, at one reading every bench.readings_history_minutes per tank (60 in a
-- full run, so every partition holds rows); BENCH_READINGS_FULL=1 makes it 1, about 100 M rows in all.
INSERT INTO temperature_readings (unit_id, at, temperature_c, out_of_range)
SELECT bench.id(40, n), t, (-190 + 3 * sin(extract(epoch FROM t) / 86400.0) + n * 0.05)::real, false
  FROM generate_series(date_trunc('month', now() - make_interval(months => bench.setting('readings_months')::int)),
                       date_trunc('month', now() - interval '4 months') - interval '1 minute',
                       make_interval(mins => bench.setting('readings_history_minutes')::int)) AS t,
       generate_series(1, bench.setting('readings_tanks')) AS n;
