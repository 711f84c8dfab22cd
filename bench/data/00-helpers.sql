-- Helpers for the generators, in a schema of their own so the application's schema stays as the migrations
-- made it. 90-finish.sql drops it once the data is in.
--
-- The generators read their sizes and the people they act as from settings the harness sets on the session
-- (bench.historical, bench.active, bench.clinics, bench.audit_entries, bench.password_hash, bench.fin).
CREATE SCHEMA IF NOT EXISTS bench;

-- A deterministic, version-4-shaped UUID for the n-th row of a kind. The harness and pgbench name rows without
-- reading them back; the first 8 hex digits are a multiplicative hash of n (a bijection modulo 2^32), so keys
-- land all over the indexes as random UUIDs do rather than in insertion order, which would flatter look-ups.
CREATE OR REPLACE FUNCTION bench.id(kind int, n bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (lpad(to_hex((n * 2654435761) % 4294967296), 8, '0') || '-' || lpad(to_hex(kind), 4, '0')
          || '-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid
$$;

-- A vial's id: its batch's hashed prefix, then the vial's own number. Vials are inserted in the order of their
-- batches' prefixes, so the primary key and the (batch_id, ordinal) key both grow at their right edge.
CREATE OR REPLACE FUNCTION bench.vial_id(batch bigint, ordinal int, k bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (lpad(to_hex((batch * 2654435761) % 4294967296), 8, '0') || '-0008-4' || lpad(ordinal::text, 3, '0')
          || '-8000-' || lpad(to_hex(k), 12, '0'))::uuid
$$;

-- src/donors/domain/donor-code.ts: `D-` and 8 Crockford base32 characters (of n here, not random bits).
CREATE OR REPLACE FUNCTION bench.donor_code(n bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 'D-' || substr(a, ((n >> 35) & 31)::int + 1, 1) || substr(a, ((n >> 30) & 31)::int + 1, 1)
              || substr(a, ((n >> 25) & 31)::int + 1, 1) || substr(a, ((n >> 20) & 31)::int + 1, 1)
              || substr(a, ((n >> 15) & 31)::int + 1, 1) || substr(a, ((n >> 10) & 31)::int + 1, 1)
              || substr(a, ((n >> 5) & 31)::int + 1, 1) || substr(a, (n & 31)::int + 1, 1)
    FROM (SELECT '0123456789ABCDEFGHJKMNPQRSTVWXYZ'::text AS a) alphabet
$$;

-- src/batches/domain/din.ts: the DIN (FIN, two-digit year, six-digit sequence) ...
CREATE OR REPLACE FUNCTION bench.din(fin text, yy int, seq int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT fin || lpad(yy::text, 2, '0') || lpad(seq::text, 6, '0')
$$;

-- ... and its ISO/IEC 7064 MOD 37-2 check character. The iteration s = ((s + v) * 2) mod 37 over 13
-- characters is the sum of v_k * 2^(14-k) mod 37, so the weights are constants: integer arithmetic on the
-- year and sequence, ten times faster than looping over characters (which matters at a million rows).
CREATE OR REPLACE FUNCTION bench.din_check(fin text, yy int, seq int) RETURNS char(1)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*', (38 - (
      (ascii(substr(fin, 1, 1)) - 55) * 15 + (ascii(substr(fin, 2, 1)) - 48) * 26
    + (ascii(substr(fin, 3, 1)) - 48) * 13 + (ascii(substr(fin, 4, 1)) - 48) * 25
    + (ascii(substr(fin, 5, 1)) - 48) * 31 + (yy / 10) * 34 + (yy % 10) * 17
    + (seq / 100000) % 10 * 27 + (seq / 10000) % 10 * 32 + (seq / 1000) % 10 * 16
    + (seq / 100) % 10 * 8 + (seq / 10) % 10 * 4 + (seq % 10) * 2) % 37) % 37 + 1, 1)::char(1)
$$;

-- Epoch milliseconds, as src/audit/canonical.ts writes times into the canonical text.
CREATE OR REPLACE FUNCTION bench.ms(at timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT floor(extract(epoch FROM at) * 1000)::bigint
$$;

-- The people the generated records name (10-people.sql creates them with these ids).
CREATE OR REPLACE FUNCTION bench.user_id(role text) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT bench.id(2, CASE role WHEN 'admin' THEN 1 WHEN 'technician' THEN 2 WHEN 'technician2' THEN 3
                               WHEN 'qa' THEN 4 ELSE NULL END)
$$;

CREATE OR REPLACE FUNCTION bench.doctor_id(clinic bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT bench.id(2, 1000 + clinic)
$$;

CREATE OR REPLACE FUNCTION bench.clinic_id(clinic bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT bench.id(1, clinic)
$$;

CREATE OR REPLACE FUNCTION bench.setting(name text) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT current_setting('bench.' || name)::bigint
$$;
