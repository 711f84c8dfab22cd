-- step: clinics and users
-- The clinics and the people every generated record names. All share one password (its argon2id hash comes
-- from the harness), so the harness can sign in as any of them through the API.
INSERT INTO clinics (id, code, name, created_at)
SELECT bench.clinic_id(c), 'BENCH-' || lpad(c::text, 3, '0'), 'Bench clinic ' || c, now() - interval '11 years'
  FROM generate_series(0, bench.setting('clinics') - 1) AS c;

INSERT INTO users (id, email, name, role, clinic_id, password_hash, created_at, updated_at)
SELECT bench.user_id(role), 'bench-' || role || '@cpc.bench', 'Bench ' || role, rtrim(role, '2'), NULL,
       current_setting('bench.password_hash'), now() - interval '11 years', now() - interval '11 years'
  FROM unnest(ARRAY['admin', 'technician', 'technician2', 'qa']) AS role;

INSERT INTO users (id, email, name, role, clinic_id, password_hash, created_at, updated_at)
SELECT bench.doctor_id(c), 'bench-doctor-' || c || '@cpc.bench', 'Bench doctor ' || c, 'doctor', bench.clinic_id(c),
       current_setting('bench.password_hash'), now() - interval '11 years', now() - interval '11 years'
  FROM generate_series(0, bench.setting('clinics') - 1) AS c;
