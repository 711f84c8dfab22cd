import { JwtService } from '@nestjs/jwt';
import { randomBytes, randomUUID } from 'node:crypto';
import { Actor, Role } from '../../src/common/transaction/actor';
import { AuditInput, Transactions } from '../../src/common/transaction/transactions.service';
import { aPrivateDatabase, startTestAppWith, TestApp } from './test-app';

/** A user row put straight into the database, with an access token the guard accepts. */
export interface TestUser {
  id: string;
  role: Role;
  token: string;
  actor: Actor;
}

/**
 * A user of the given role, inserted by SQL (no login needed, so these tests do not wait on the auth module);
 * a doctor gets a clinic of their own. The password hash is never checked: tokens are signed directly.
 */
export async function aUser(t: TestApp, role: Role): Promise<TestUser> {
  const id = randomUUID();
  let clinicId: string | null = null;
  if (role === 'doctor') {
    clinicId = randomUUID();
    await t.sql.query('INSERT INTO clinics (id, code, name) VALUES ($1, $2, $3)', [
      clinicId,
      `AU${randomBytes(5).toString('hex').toUpperCase()}`,
      'Audit test clinic',
    ]);
  }
  await t.sql.query(
    'INSERT INTO users (id, email, name, role, clinic_id, password_hash) VALUES ($1, $2, $3, $4, $5, $6)',
    [id, `${role}-${id}@audit.test`, `Audit ${role}`, role, clinicId, 'not-a-real-hash'],
  );
  const token = t.app.get(JwtService).sign({ sub: id });
  return { id, role, token, actor: { id, role, clinicId } };
}

export function bearer(user: TestUser): { Authorization: string } {
  return { Authorization: `Bearer ${user.token}` };
}

/** A plausible entry for `entityId`; override what a test cares about. */
export function anAuditInput(entityId: string, overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    action: 'batch.cell-count.recorded',
    entityType: 'batch',
    entityId,
    before: { currentPassage: 1 },
    after: { currentPassage: 1, latestCount: { totalCells: 2_500_000, viabilityPct: 92.5 } },
    ...overrides,
  };
}

/** Writes entries as the application does: through the transaction helper, one transaction for them all. */
export async function recordAudited(t: TestApp, actor: Actor, ...entries: AuditInput[]): Promise<void> {
  await t.app.get(Transactions).run(actor, async (tx) => {
    for (const entry of entries) tx.audit(entry);
  });
}

/**
 * The real application on a database of its own, made for the caller and dropped by `close()`: for tests
 * that tamper with the audit ledger, which must never touch the run's shared one, and that need to know
 * every entry in it. No bootstrap admin, so its ledger starts empty.
 */
export async function startAppOnPrivateDatabase(options: { clock?: Date } = {}): Promise<TestApp> {
  const database = await aPrivateDatabase();
  let t: TestApp;
  try {
    t = await startTestAppWith(
      { ...database.settings, bootstrapAdminEmail: null, bootstrapAdminPassword: null },
      options,
    );
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...t,
    async close() {
      await t.close();
      await database.drop();
    },
  };
}
