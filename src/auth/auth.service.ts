import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { appConfig, AppConfig } from '../../config/app.config';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { SYSTEM_ACTOR } from '../common/transaction/actor';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { Transactions } from '../common/transaction/transactions.service';
import { validationFailed } from '../common/validation/validation';
import { AccessTokenClaims } from './auth.guard';
import { CredentialsService } from './credentials.service';
import { sourceOfUser } from './domain/auth-source';
import { LoginResponseDto } from './dto/login.dto';
import { userView } from './dto/user-view.dto';
import { PasswordHasher } from './password-hasher';
import { UserRow, UsersRepository } from './users.repository';

/** One answer for every failed login, so it tells nobody whether an account exists or is deactivated. */
function badCredentials(): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, 'The email or password is not correct');
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly credentials: CredentialsService,
    private readonly hasher: PasswordHasher,
    private readonly transactions: Transactions,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  /** `source` is the client's address (`ip:<address>`), the lock-out's unit besides the account. */
  async login(email: string, password: string, source: string): Promise<LoginResponseDto> {
    const user = await this.authenticate(email, password, source);
    const claims: AccessTokenClaims = { sub: user.id, iatMs: this.clock.now().getTime() };
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, expiresIn: this.env.jwtTtlSeconds, user: userView(user) };
  }

  /**
   * Checks an email and password as a login does, failures counted toward the lock-out: `401` for an
   * unknown email, a wrong password or a deactivated user, `429` while locked, each the same for every
   * e-mail, known or not. For callers that take credentials without a token (the queue dashboard's Basic).
   */
  async authenticate(email: string, password: string, source: string): Promise<UserRow> {
    const found = await this.users.findByEmail(email);
    const user = found?.active ? found : null;
    const right = await this.credentials.check({
      email,
      user,
      knownUserId: found?.id ?? null,
      password,
      kind: 'LOGIN',
      source,
      actor: SYSTEM_ACTOR,
    });
    if (!right || !user) throw badCredentials();
    return user;
  }

  /**
   * The current password is a re-authentication like a signature: wrong, it is `422 SIGNATURE_INVALID` and
   * counts toward the lock-out. Every token issued before the change stops working, in every process.
   */
  async changePassword(actor: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
    if (currentPassword === newPassword) {
      throw validationFailed([
        { field: 'newPassword', errors: ['newPassword must differ from currentPassword'] },
      ]);
    }
    const user = await this.users.findById(actor.id);
    if (!user || !user.active) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The user is deactivated');
    const right = await this.credentials.check({
      email: user.email,
      user,
      knownUserId: user.id,
      password: currentPassword,
      kind: 'SIGNATURE',
      source: sourceOfUser(actor),
      actor: actorOf(actor),
    });
    if (!right) throw new DomainError(ErrorCode.SIGNATURE_INVALID, 'The current password is not correct');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.transactions.run(actorOf(actor), async (tx) => {
      await this.users.updatePasswordHash(user.id, passwordHash, tx.now, tx.manager);
      await this.users.revokeTokens(user.id, tx.now, tx.manager);
      // The trail says that it changed, never what to: no hash, old or new.
      tx.audit({ action: 'user.password_changed', entityType: 'user', entityId: user.id });
    });
  }
}
