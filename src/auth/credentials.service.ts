import { Inject, Injectable, Logger } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Actor } from '../common/transaction/actor';
import { Transactions, TransactionContext } from '../common/transaction/transactions.service';
import { WHOLE_ACCOUNT } from './auth-lock.entity';
import { AuthFailureKind, AuthFailuresRepository } from './auth-failures.repository';
import { countingSince, isLocked, laterOf, LockoutLimits, lockoutLimits } from './domain/lockout-policy';
import { PasswordHasher } from './password-hasher';
import { UserRow } from './users.repository';

const FAILURE_ACTIONS: Record<AuthFailureKind, string> = {
  LOGIN: 'auth.login_failed',
  SIGNATURE: 'auth.signature_failed',
};

/** One password check: whose account (by e-mail, known or not), from where, and as which kind of attempt. */
export interface PasswordCheck {
  /** The e-mail the password was given for. */
  email: string;
  /** The account's user when it is active; null for an unknown e-mail or a deactivated user (never matches). */
  user: UserRow | null;
  /** The user behind the e-mail, active or not, for the audit trail; null when nobody has it. */
  knownUserId: string | null;
  password: string;
  kind: AuthFailureKind;
  /** Who tried, for the lock-out: `ip:<address>` for a sign-in, `user:<id>` for a witness asked by a user. */
  source: string;
  actor: Actor;
}

/** The same answer for a locked account whatever the password, and for an unknown e-mail as for a known one. */
export function rateLimited(lockedUntil: Date | null): DomainError {
  return new DomainError(ErrorCode.RATE_LIMITED, 'Too many failed logins or signatures: try again later', {
    lockedUntil,
  });
}

/**
 * Every password check of the system goes through here (login, dashboard, signatures, password change,
 * witnesses), so the lock-out counts them all alike, in PostgreSQL, where every process agrees.
 *
 * An attempt is admitted before its password is compared: under the account's lock it is refused while a lock
 * runs or while the failures (admitted attempts count as failures until proven right) reach the limit, and
 * else written down as a failure. A right password takes its row back. However many guesses arrive at once,
 * no more are compared than the limit allows, and a refused one answers the same whatever its password.
 */
@Injectable()
export class CredentialsService {
  private readonly logger = new Logger(CredentialsService.name);
  private readonly limits: LockoutLimits;

  constructor(
    private readonly failures: AuthFailuresRepository,
    private readonly hasher: PasswordHasher,
    private readonly transactions: Transactions,
    @Inject(appConfig.KEY) env: AppConfig,
  ) {
    this.limits = lockoutLimits(env.auth);
  }

  /** True for the right password of an active user; false otherwise (counted); `429 RATE_LIMITED` when refused. */
  async check(attempt: PasswordCheck): Promise<boolean> {
    const account = attempt.email.trim().toLowerCase();
    const admitted = await this.transactions.run(attempt.actor, (tx) => this.admit(tx, account, attempt));
    const right = attempt.user
      ? await this.hasher.verify(attempt.user.passwordHash, attempt.password)
      : await this.hasher.verifyNothing(attempt.password).then(() => false);
    if (right) {
      await this.transactions.run(attempt.actor, (tx) => this.failures.remove(admitted, tx.manager));
      return true;
    }
    await this.transactions.run(attempt.actor, (tx) => this.settleFailure(tx, account, attempt));
    return false;
  }

  /** Admits the attempt (its failure row, taken back if right) or refuses it with 429. */
  private async admit(tx: TransactionContext, account: string, attempt: PasswordCheck): Promise<string> {
    await this.failures.lockAccount(account, tx.manager);
    const locks = await this.failures.locks(account, attempt.source, tx.manager);
    const running = [locks.forSource, locks.forAll].filter((until) => isLocked(until, tx.now));
    if (running.length > 0) throw rateLimited(laterOf(running[0], running[1] ?? null));
    const counted = await this.countFailures(tx, account, attempt.source, locks);
    if (counted.fromSource >= this.limits.maxFailures || counted.fromAll >= this.limits.accountMaxFailures) {
      // The limit is taken by attempts still being checked: refused like a lock, without a known end.
      throw rateLimited(null);
    }
    return this.failures.insert(
      { userId: attempt.knownUserId, account, source: attempt.source, kind: attempt.kind, at: tx.now },
      tx.manager,
    );
  }

  private countFailures(
    tx: TransactionContext,
    account: string,
    source: string,
    locks: { forSource: Date | null; forAll: Date | null },
  ): Promise<{ fromSource: number; fromAll: number }> {
    const sourceSince = countingSince(laterOf(locks.forSource, locks.forAll), tx.now, this.limits);
    const allSince = countingSince(locks.forAll, tx.now, this.limits);
    return this.failures.count(account, source, sourceSince, allSince, tx.manager);
  }

  /** The admitted attempt stays a failure: audited, and it locks the account when it reaches a limit. */
  private async settleFailure(
    tx: TransactionContext,
    account: string,
    attempt: PasswordCheck,
  ): Promise<void> {
    await this.failures.lockAccount(account, tx.manager);
    const locks = await this.failures.locks(account, attempt.source, tx.manager);
    const counted = await this.countFailures(tx, account, attempt.source, locks);
    const cause = attempt.user
      ? 'wrong password'
      : attempt.knownUserId
        ? 'deactivated account'
        : 'unknown account';
    if (attempt.knownUserId) {
      tx.audit({
        action: FAILURE_ACTIONS[attempt.kind],
        entityType: 'user',
        entityId: attempt.knownUserId,
        after: { kind: attempt.kind, cause, source: attempt.source, failuresInWindow: counted.fromSource },
      });
    }
    const until = new Date(tx.now.getTime() + this.limits.lockMs);
    if (counted.fromSource >= this.limits.maxFailures && !isLocked(locks.forSource, tx.now))
      await this.lock(
        tx,
        account,
        attempt,
        attempt.source,
        until,
        `${this.limits.maxFailures} failures from ${attempt.source}`,
      );
    if (counted.fromAll >= this.limits.accountMaxFailures && !isLocked(locks.forAll, tx.now))
      await this.lock(
        tx,
        account,
        attempt,
        WHOLE_ACCOUNT,
        until,
        `${this.limits.accountMaxFailures} failures from all sources`,
      );
  }

  private async lock(
    tx: TransactionContext,
    account: string,
    attempt: PasswordCheck,
    source: string,
    until: Date,
    reason: string,
  ): Promise<void> {
    await this.failures.setLock(account, source, until, tx.manager);
    if (attempt.knownUserId) {
      tx.audit({
        action: 'auth.locked',
        entityType: 'user',
        entityId: attempt.knownUserId,
        after: { source, lockedUntil: until },
        reason: `${reason} within ${this.limits.windowMs / 60_000} minutes`,
      });
      this.logger.warn(`account ${attempt.knownUserId} locked for ${source} until ${until.toISOString()}`);
    }
  }
}
