-- step: audit plan
-- The audit trail of the ten years (bench.audit_entries entries), in seq order and time order, about the
-- history batches. Three in four record a cell count, one in four a release, with the entry shapes the
-- application writes (src/batches, src/common/transaction). The canonical text is what src/audit/canonical.ts
-- builds: keys sorted at every depth (JavaScript's order: code units, so "actorId" < "actorRole"), times as
-- epoch milliseconds, no spaces; the harness checks a sample against canonicalJson() before anything runs.
--
-- Since the ledger (migrations/1764000420000-audit-ledger.ts) entries carry no chain hashes: the sequencer
-- integrates them into the Merkle tree once the load is done, as it would entries the application wrote.
CREATE UNLOGGED TABLE bench.audit_head AS
SELECT coalesce((SELECT max(seq) FROM audit_entries), 0) AS seq;

CREATE UNLOGGED TABLE bench.audit_plan AS
SELECT (SELECT seq FROM bench.audit_head) + j AS seq, canonical
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
               ) texts;

-- The load runs with session_replication_role = replica, so audit_entries_fill
-- (migrations/1764000420000-audit-ledger.ts) does not fire: each row carries what that trigger would have
-- filled in, the writing transaction's id included, so the sequencer integrates the trail like entries the
-- application wrote. Four steps share the insert among the sessions, a quarter of the plan each.
CREATE FUNCTION bench.insert_audit_quarter(quarter int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO audit_entries (seq, canonical, txid, at, actor_id, actor_role, action,
                             entity_type, entity_id, before, after, reason)
  SELECT seq, canonical, pg_current_xact_id(), to_timestamp((d ->> 'at')::bigint / 1000.0),
         (d ->> 'actorId')::uuid, d ->> 'actorRole', d ->> 'action', d ->> 'entityType', d ->> 'entityId',
         d -> 'before', d -> 'after', d ->> 'reason'
    FROM (SELECT seq, canonical, canonical::jsonb AS d FROM bench.audit_plan
          WHERE (seq - (SELECT seq FROM bench.audit_head) - 1) * 4 / bench.setting('audit_entries') = quarter) planned
$$;

-- step: audit entries 1 | after: audit plan
SELECT bench.insert_audit_quarter(0);

-- step: audit entries 2 | after: audit plan
SELECT bench.insert_audit_quarter(1);

-- step: audit entries 3 | after: audit plan
SELECT bench.insert_audit_quarter(2);

-- step: audit entries 4 | after: audit plan
SELECT bench.insert_audit_quarter(3);

-- step: audit sequence | after: audit entries 1, audit entries 2, audit entries 3, audit entries 4
-- The entries took their seq from the plan, not from audit_entries_seq: move it past them.
SELECT setval('audit_entries_seq', (SELECT max(seq) FROM audit_entries) + 1, false);
