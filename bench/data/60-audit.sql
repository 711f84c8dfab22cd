-- step: audit plan
-- The audit trail of the ten years (bench.audit_entries entries), in seq order and time order, about the
-- history batches. Three in four record a cell count, one in four a release, with the entry shapes the
-- application writes (src/batches, src/common/transaction). The canonical text is what src/audit/canonical.ts
-- builds: keys sorted at every depth (JavaScript's order: code units, so "actorId" < "actorRole"), times as
-- epoch milliseconds, no spaces; the harness checks a sample against canonicalJson() before anything runs.
--
-- The hash chain is sequential by nature: a running aggregate (a window over seq order) threads each hash
-- into the next, hash = sha256(prev_hash || canonical), from the trail's head (genesis on a new database),
-- exactly as audit_append() computes it, so GET /audit/verify accepts the whole trail.
CREATE FUNCTION bench.chain_step(prev text, canonical text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  RETURN encode(sha256(convert_to(prev || canonical, 'UTF8')), 'hex');
END $$;

CREATE UNLOGGED TABLE bench.audit_head AS
SELECT coalesce((SELECT seq FROM audit_entries ORDER BY seq DESC LIMIT 1), 0) AS seq,
       coalesce((SELECT hash FROM audit_entries ORDER BY seq DESC LIMIT 1), repeat('0', 64)) AS hash;

DO $$
BEGIN
  EXECUTE format('CREATE AGGREGATE bench.chain(text) (sfunc = bench.chain_step, stype = text, initcond = %L)',
                 (SELECT hash FROM bench.audit_head));
END $$;

CREATE UNLOGGED TABLE bench.audit_plan AS
SELECT (SELECT seq FROM bench.audit_head) + j AS seq, canonical,
       coalesce(lag(hash) OVER (ORDER BY j), (SELECT hash FROM bench.audit_head)) AS prev_hash, hash
  FROM (SELECT j, canonical, bench.chain(canonical) OVER (ORDER BY j) AS hash
          FROM (SELECT j,
                       CASE WHEN j % 4 = 3 THEN format(
                         '{"action":"batch.released","actorId":"%s","actorRole":"qa","after":{"expiresAt":%s,"status":"RELEASED"},'
                         '"at":%s,"before":{"status":"CULTURE_COMPLETE"},"entityId":"%s","entityType":"batch","reason":null}',
                         people.qa, at_ms + 172800000, at_ms, batch_id)
                       ELSE format(
                         '{"action":"batch.cell_count_recorded","actorId":"%s","actorRole":"technician","after":{"count":'
                         '{"correctsId":null,"countedAt":%s,"id":"%s","method":"hemocytometer","passageNumber":%s,'
                         '"reason":null,"recordedAt":%s,"recordedBy":"%s","supersededBy":null,"totalCells":%s,'
                         '"viabilityPct":%s}},"at":%s,"before":null,"entityId":"%s","entityType":"batch","reason":null}',
                         people.technician, at_ms - 600000, bench.id(18, j), 1 + j % 4, at_ms,
                         people.technician, 4000000 + j % 997 * 10000, 85 + j % 15, at_ms, batch_id)
                       END AS canonical
                  FROM (SELECT j,
                               bench.ms(now() - interval '10 years'
                                        + (j - 1) * ((interval '10 years' - interval '60 days') / bench.setting('audit_entries'))) AS at_ms,
                               bench.id(5, 1 + (j - 1) * bench.setting('historical') / bench.setting('audit_entries')) AS batch_id
                          FROM generate_series(1, bench.setting('audit_entries')) AS j) timed
                 CROSS JOIN (SELECT bench.user_id('qa')::text AS qa, bench.user_id('technician')::text AS technician) people
               ) texts) chained;

-- step: audit entries 1 | after: audit plan
-- The insert, not the chain, is the slow part (each row's nine generated columns parse the canonical text
-- again), so four steps share it among the sessions.
INSERT INTO audit_entries (seq, canonical, prev_hash, hash)
SELECT seq, canonical, prev_hash, hash FROM bench.audit_plan
 WHERE (seq - (SELECT seq FROM bench.audit_head) - 1) * 4 / bench.setting('audit_entries') = 0;

-- step: audit entries 2 | after: audit plan
INSERT INTO audit_entries (seq, canonical, prev_hash, hash)
SELECT seq, canonical, prev_hash, hash FROM bench.audit_plan
 WHERE (seq - (SELECT seq FROM bench.audit_head) - 1) * 4 / bench.setting('audit_entries') = 1;

-- step: audit entries 3 | after: audit plan
INSERT INTO audit_entries (seq, canonical, prev_hash, hash)
SELECT seq, canonical, prev_hash, hash FROM bench.audit_plan
 WHERE (seq - (SELECT seq FROM bench.audit_head) - 1) * 4 / bench.setting('audit_entries') = 2;

-- step: audit entries 4 | after: audit plan
INSERT INTO audit_entries (seq, canonical, prev_hash, hash)
SELECT seq, canonical, prev_hash, hash FROM bench.audit_plan
 WHERE (seq - (SELECT seq FROM bench.audit_head) - 1) * 4 / bench.setting('audit_entries') = 3;
