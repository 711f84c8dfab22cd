-- The SQL the API issues for POST /api/v1/batches/:id/cell-counts, statement for statement, as read from
-- src/auth/auth.guard.ts + users.repository.ts (the user behind the token), src/batches/batches.repository.ts
-- (lockById), batch-steps.repository.ts (findIntervalBounds, insertCellCount) and
-- src/common/transaction/transactions.service.ts (outbox rows, then audit_append last, holding the chain's
-- lock to the commit). The harness compares this list with the statements the running API really sends
-- (bench/lib/sql-capture.ts) and reports any difference beside the figures.
--
-- Variables from the harness (-D): technician (the user id), active (batches in play), batch_kind (the id
-- kind of active batches, see bench/data/00-helpers.sql). Batches in culture are n % 10 in 0..3.
\set k random(0, :active / 10 - 1)
\set n 10 * :k + random(0, 3)
SELECT id, email, name, role, clinic_id AS "clinicId", active, password_hash AS "passwordHash",
  locked_until AS "lockedUntil", created_at AS "createdAt" FROM users WHERE id = :technician;
BEGIN;
SELECT b.id, b.din, b.din_check AS "dinCheck", b.status, b.biohazard, b.donor_id AS "donorId",
  b.clinic_id AS "clinicId", b.harvest_id AS "harvestId", b.product_type AS "productType",
  b.specification_id AS "specificationId", s.max_passage AS "maxPassage", b.target_cell_count AS "targetCellCount",
  b.current_passage AS "currentPassage", b.viable_cells_yielded AS "viableCellsYielded", b.cells_drawn AS "cellsDrawn",
  b.expires_at AS "expiresAt", b.recalled_at AS "recalledAt", b.created_at AS "createdAt"
  FROM batches b JOIN specifications s ON s.id = b.specification_id
 WHERE b.id = (lpad(to_hex((:n::bigint * 2654435761) % 4294967296), 8, '0') || '-' || :batch_kind || '-4000-8000-'
               || lpad(to_hex(:n::bigint), 12, '0'))::uuid
   FOR UPDATE OF b \gset
SELECT CASE WHEN :currentPassage::int = 0
            THEN (SELECT performed_at FROM batch_isolations WHERE batch_id = :id)
            ELSE (SELECT performed_at FROM batch_passages
                   WHERE batch_id = :id AND passage_number = :currentPassage AND superseded_by IS NULL) END AS "seededAt",
       (SELECT performed_at FROM batch_passages
         WHERE batch_id = :id AND passage_number = :currentPassage + 1 AND superseded_by IS NULL) AS "nextPassageAt",
       (SELECT performed_at FROM batch_final_harvests WHERE batch_id = :id AND superseded_by IS NULL) AS "finalHarvestAt";
INSERT INTO batch_cell_counts (id, batch_id, passage_number, counted_at, total_cells, viability_pct, method,
   corrects_id, reason, recorded_by, recorded_at)
 VALUES (gen_random_uuid(), :id, :currentPassage, now(), 5000000 + :n, 93.5, 'hemocytometer', NULL, NULL, :technician, now())
 RETURNING id, corrects_id AS "correctsId", superseded_by AS "supersededBy", reason,
  recorded_by AS "recordedBy", recorded_at AS "recordedAt", passage_number AS "passageNumber", counted_at AS "countedAt", total_cells AS "totalCells",
  viability_pct AS "viabilityPct", method \gset c_
-- src/outcomes/outcome-flags.service.ts hears the step: does the batch have an injection plan (none here)?
SELECT id FROM injection_plans WHERE batch_id = :id ORDER BY version DESC LIMIT 1;
-- The canonical text as src/audit/canonical.ts writes it. Positional arguments only: pgbench would read a
-- literal `:null` inside the JSON as a variable.
SELECT seq FROM audit_append(format(
  '{"action":"batch.cell_count_recorded","actorId":"%1$s","actorRole":"technician","after":{"count":{"correctsId":%8$s,'
  '"countedAt":%2$s,"id":"%3$s","method":"hemocytometer","passageNumber":%4$s,"reason":%8$s,"recordedAt":%5$s,'
  '"recordedBy":"%1$s","supersededBy":%8$s,"totalCells":%6$s,"viabilityPct":93.5}},"at":%5$s,"before":%8$s,'
  '"entityId":"%7$s","entityType":"batch","reason":%8$s}',
  :technician::text, floor(extract(epoch FROM :c_countedAt::timestamptz) * 1000)::bigint, :c_id::text,
  :currentPassage::text, floor(extract(epoch FROM :c_recordedAt::timestamptz) * 1000)::bigint, :c_totalCells::text,
  :id::text, 'null'));
END;
