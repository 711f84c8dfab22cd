import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { SYSTEM_ACTOR } from '../common/transaction/actor';
import { ADVISORY_LOCKS } from '../common/locks/advisory-locks';
import { Transactions } from '../common/transaction/transactions.service';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

// The same key in every process (src/common/locks/advisory-locks.ts keeps the keys apart).
const BOOTSTRAP_LOCK_KEY = ADVISORY_LOCKS.bootstrapAdmin;

/**
 * The first administrator comes from BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD when the users table is
 * empty at start. Several processes may start at once: they queue on a transaction-scoped advisory lock and
 * re-check emptiness under it, so exactly one creates the admin and the others find a user already.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly transactions: Transactions,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { bootstrapAdminEmail: email, bootstrapAdminPassword: password } = this.env;
    if (email === null || password === null) return;
    if (await this.createFirstAdmin(email, password))
      this.logger.log(`created the first administrator ${email}`);
  }

  /** True when this call created the admin; false when any user existed already. */
  async createFirstAdmin(email: string, password: string): Promise<boolean> {
    // The common case (users exist) costs one cheap query and no hashing.
    if (await this.users.anyExists()) return false;
    const passwordHash = await this.hasher.hash(password);
    return this.transactions.run(SYSTEM_ACTOR, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK_KEY]);
      if (await this.users.anyExists(tx.manager)) return false;
      await this.usersService.insertFirstAdmin(email, passwordHash, tx);
      return true;
    });
  }
}
