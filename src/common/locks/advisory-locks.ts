/**
 * Every whole-database advisory lock key the application takes, in one list so that no two uses collide
 * (a collision once made the bootstrap administrator wait on the audit sequencer's session lock forever).
 * Keyed locks (hashtextextended seeds) are listed too, though they only collide with the same seed.
 * The numbers are fixed: migrations and running processes of older releases use the same ones.
 */
export const ADVISORY_LOCKS = {
  /** src/database/migrate.ts: one process migrates at a time. */
  migrations: 7_310_420_001,
  /** migrations/1764000000000-foundation.ts: the hash chain's old global lock (before the ledger). */
  legacyAuditChain: 7_310_420_002,
  /** migrations/1764000420000-audit-ledger.ts: the sequencer's session lock, checked by audit_integrate(). */
  auditSequencer: 7_310_420_003,
  /** src/auth/bootstrap-admin.service.ts: one first administrator however many processes start. */
  bootstrapAdmin: 7_310_420_004,
  /** Seed of src/common/idempotency/idempotency.repository.ts's per-key lock. */
  idempotencySeed: 7_310_420_011,
  /** Seed of src/auth/auth-failures.repository.ts's per-account lock. */
  authFailuresSeed: 7_310_420_012,
} as const;
