import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in hardening (docs/operations.md, "Security"):
 *
 * - Failed attempts are counted by the account's e-mail, known or not, so an unknown e-mail is answered
 *   exactly like an existing one, and by the source that tried (a client address, or the signed-in user who
 *   asked for a witness), so a lock-out holds the guesser back, not the owner signing in elsewhere.
 * - An attempt is admitted (written as a failure) before its password is compared; a right password takes
 *   its row back. Parallel guesses therefore cannot pass the count before any of them is recorded.
 * - `auth_locks` holds the locks: one per (account, source), and one with source '*' for the account as a
 *   whole (many sources at once, or an administrator's unlock, which ends every lock of the account).
 * - `users.tokens_valid_after`: tokens issued before it are refused (password change, reset, unlock, logout).
 */
export class AuthHardening1764000150000 implements MigrationInterface {
  name = 'AuthHardening1764000150000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE auth_failures ALTER COLUMN user_id DROP NOT NULL`);
    await db.query(`ALTER TABLE auth_failures ADD COLUMN account text`);
    await db.query(`ALTER TABLE auth_failures ADD COLUMN source text NOT NULL DEFAULT ''`);
    await db.query(
      `UPDATE auth_failures f SET account = lower(u.email) FROM users u WHERE u.id = f.user_id AND f.account IS NULL`,
    );
    await db.query(`ALTER TABLE auth_failures ALTER COLUMN account SET NOT NULL`);
    await db.query(`CREATE INDEX auth_failures_account_at ON auth_failures (account, at DESC)`);

    await db.query(`
      CREATE TABLE auth_locks (
        account text NOT NULL,
        source text NOT NULL,
        locked_until timestamptz NOT NULL,
        PRIMARY KEY (account, source)
      )`);
    await db.query(`
      INSERT INTO auth_locks (account, source, locked_until)
      SELECT lower(email), '*', locked_until FROM users WHERE locked_until IS NOT NULL`);

    await db.query(`ALTER TABLE users ADD COLUMN tokens_valid_after timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN tokens_valid_after`);
    await db.query(`DROP TABLE auth_locks`);
    await db.query(`DROP INDEX auth_failures_account_at`);
    await db.query(`DELETE FROM auth_failures WHERE user_id IS NULL`);
    await db.query(`ALTER TABLE auth_failures DROP COLUMN source`);
    await db.query(`ALTER TABLE auth_failures DROP COLUMN account`);
    await db.query(`ALTER TABLE auth_failures ALTER COLUMN user_id SET NOT NULL`);
  }
}
