/**
 * Every table the read model reads itself (docs/architecture.md, "Read model"). It writes none; the
 * table-ownership test holds it to this list, so a new wide read names its tables here first.
 * What it needs of a batch, a donor or a vial comes from the owners' services.
 */
export const READ_MODEL_TABLES: readonly string[] = [
  'harvests',
  // A lot's recall list (recall.repository.ts) and the lineage's lots.
  'material_usages',
  'material_lots',
  'deviations',
  'doses',
  // Custody timelines: the vial's identity, the trail's entries with their actors' names, and the scans.
  'vials',
  'audit_entries',
  'users',
  'scans',
  // The look-back (lookback.repository.ts).
  'batches',
  'donors',
  // The periodic report (periodic-report.repository.ts).
  'batch_decisions',
  'boosters',
  'qc_results',
  'adverse_events',
  // The outcome report (outcome-report.repository.ts): one set-based query over the treated knees.
  'knee_assessments',
  'outcome_assessments',
  // The facts the readiness sweep derives its flags from (readiness-facts.repository.ts): whether a QC
  // failure after release is flagged already.
  'flags',
];
