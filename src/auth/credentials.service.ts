import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Actor } from '../common/transaction/actor';
import { Transactions } from '../common/transaction/transactions.service';
import { AuthFailureKind, AuthFailuresRepository } from './auth-failures.repository';
import { countingSince, isLocked, lockAfterFailure, MAX_FAILURES } from './domain/lockout-policy';
import { PasswordHasher } from './password-hasher';
import { UserRow, UsersRepository } from './users.repository';

const FAILURE_ACTIONS: Record<AuthFailureKind, string> = {
  LOGIN: 'auth.login_failed',
  SIGNATURE: 'auth.signature_failed',
};

/**
 * Every password check of the system goes through here (login, signatures, password change, witnesses), so
 * the lock-out counts them all alike. Counts and locks live in PostgreSQL, so all processes agree.
 */
@Injectable()
export class CredentialsService {
  private readonly logger = new Logger(CredentialsService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly failures: AuthFailuresRepository,
    private readonly hasher: PasswordHasher,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
  ) {}

  /** `429 RATE_LIMITED` while the account is locked. */
  assertNotLocked(user: Pick<UserRow, 'id' | 'lockedUntil'>): void {
    if (isLocked(user.lockedUntil, this.clock.now())) {
      throw new DomainError(
        ErrorCode.RATE_LIMITED,
        'Too many failed logins or signatures: the account is locked for now',
        {
          lockedUntil: user.lockedUntil,
        },
      );
    }
  }

  /**
   * Checks `password` against the account. A locked account is refused before the password is looked at, so
   * a lock cannot be used to keep guessing. A wrong password is recorded as a failure of `kind` (in its own
   * transaction: it stays although the caller's request fails) and answers false.
   *
   * @param actor who is asking: the signed-in user for a signature or witness, SYSTEM for a login
   */
  async checkPassword(
    user: UserRow,
    password: string,
    kind: AuthFailureKind,
    actor: Actor,
  ): Promise<boolean> {
    this.assertNotLocked(user);
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      await this.recordFailure(user.id, kind, actor);
      return false;
    }
    // Parallel guesses all pass the check above before any is counted; whichever guess is right must not win
    // once its siblings have locked the account in the meantime.
    const fresh = await this.users.findById(user.id);
    if (fresh) this.assertNotLocked(fresh);
    return true;
  }

  /**
   * Records one failed attempt and locks the account when it is the fifth in the window. The user's row is
   * held FOR UPDATE while counting, so concurrent failures in any process are counted one after another and
   * exactly one of them sets the lock.
   */
  async recordFailure(
    userId: string,
    kind: AuthFailureKind,
    actor: Actor,
    cause = 'wrong password',
  ): Promise<void> {
    const lockedUntil = await this.transactions.run(actor, async (tx) => {
      const user = await this.users.findByIdForUpdate(userId, tx.manager);
      if (!user) return null;
      await this.failures.insert(userId, kind, tx.now, tx.manager);
      const counted = await this.failures.countSince(
        userId,
        countingSince(user.lockedUntil, tx.now),
        tx.manager,
      );
      tx.audit({
        action: FAILURE_ACTIONS[kind],
        entityType: 'user',
        entityId: userId,
        after: { kind, cause, failuresInWindow: counted },
      });
      const lock = lockAfterFailure(counted, user.lockedUntil, tx.now);
      if (lock) {
        await this.users.setLockedUntil(userId, lock, tx.manager);
        tx.audit({
          action: 'auth.locked',
          entityType: 'user',
          entityId: userId,
          before: { lockedUntil: user.lockedUntil },
          after: { lockedUntil: lock },
          reason: `${MAX_FAILURES} failed logins or signatures within 15 minutes`,
        });
      }
      return lock;
    });
    if (lockedUntil) this.logger.warn(`account ${userId} locked until ${lockedUntil.toISOString()}`);
  }
}
