import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { sourceOfAddress } from '../../auth/domain/auth-source';
import { AuthService } from '../../auth/auth.service';
import { UserRow, UsersRepository } from '../../auth/users.repository';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';

/** A browser replays the same credentials on every dashboard request; one full check a minute is enough. */
const VERIFIED_FOR_MS = 60_000;

/**
 * HTTP Basic for the queue dashboard (a browser sends no bearer token): an administrator's email and password,
 * checked by the auth module exactly like a login, so a wrong password counts toward the account's
 * lock-out (429 while locked). A verified pair is remembered briefly under an HMAC with a per-process key
 * (never the password itself), but the account is re-read on every request: deactivating or demoting it,
 * changing its password or revoking its sessions shuts the dashboard at once, in every process.
 */
@Injectable()
export class DashboardAuth {
  private readonly verified = new Map<string, Remembered>();
  private readonly key = randomBytes(32);

  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersRepository,
    private readonly clock: Clock,
  ) {}

  /** Resolves when `authorization` names an active, unlocked administrator; throws the contract's error otherwise. */
  async assertAdmin(authorization: string | undefined, address: string): Promise<void> {
    const credentials = parseBasic(authorization);
    if (!credentials)
      throw unauthenticated("HTTP Basic credentials (an administrator's email and password) are required");
    const fingerprint = createHmac('sha256', this.key)
      .update(`${credentials.email.toLowerCase()}\0${credentials.password}`)
      .digest('hex');
    const now = this.clock.now();
    const remembered = this.verified.get(fingerprint);
    if (remembered && remembered.until > now.getTime()) {
      const user = await this.users.findById(remembered.userId);
      if (user && stillVerified(user, remembered)) return;
      this.verified.delete(fingerprint);
    }
    // Exactly a login: a wrong password counts as a failed login (401), a locked account answers 429.
    const user = await this.auth.authenticate(
      credentials.email,
      credentials.password,
      sourceOfAddress(address),
    );
    if (user.role !== 'admin')
      throw new DomainError(ErrorCode.FORBIDDEN, 'The queue dashboard is for administrators');
    this.forgetExpired(now.getTime());
    this.verified.set(fingerprint, {
      userId: user.id,
      passwordHash: user.passwordHash,
      tokensValidAfter: user.tokensValidAfter?.getTime() ?? null,
      until: now.getTime() + VERIFIED_FOR_MS,
    });
  }

  private forgetExpired(now: number): void {
    for (const [fingerprint, entry] of this.verified)
      if (entry.until <= now) this.verified.delete(fingerprint);
  }
}

interface Remembered {
  userId: string;
  /** The account as it was verified: a new password, or revoked sessions, end the memory in every process. */
  passwordHash: string;
  tokensValidAfter: number | null;
  until: number;
}

function stillVerified(user: UserRow, remembered: Remembered): boolean {
  return (
    user.active &&
    user.role === 'admin' &&
    user.passwordHash === remembered.passwordHash &&
    (user.tokensValidAfter?.getTime() ?? null) === remembered.tokensValidAfter
  );
}

function unauthenticated(message: string): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, message);
}

function parseBasic(header: string | undefined): { email: string; password: string } | null {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { email: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
