import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../common/json/canonical-json';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { actorOf, AuthUser } from '../common/transaction/auth-user';
import { validationFailed } from '../common/validation/validation';
import { sourceOfUser } from './domain/auth-source';
import { CredentialsService } from './credentials.service';
import { UserRow, UsersRepository } from './users.repository';

/** What a signer re-enters and states; `record` is what is signed, hashed into `recordHash`. */
export interface SignatureRequest {
  password: string;
  meaning: string;
  record: unknown;
}

/** An electronic signature (21 CFR 11.50, 11.70): who, their printed name then, meaning, time, and the hash of what was signed. */
export interface Signature {
  signerId: string;
  signerName: string;
  signerRole: string;
  meaning: string;
  signedAt: Date;
  recordHash: string;
}

/** SHA-256 (hex) over the canonical JSON of what was signed: keys sorted, dates as epoch milliseconds. */
export function recordHashOf(record: unknown): string {
  return createHash('sha256').update(canonicalJson(record), 'utf8').digest('hex');
}

/**
 * Electronic signatures by re-authentication (21 CFR 11.200(a): password at each signing when signings are
 * not one continuous session of controlled access). Failed re-entries count toward the account's lock-out
 * like failed logins, recorded in their own transaction, so call these before or beside your command's
 * transaction; a failure survives your transaction rolling back.
 */
@Injectable()
export class SignatureService {
  constructor(
    private readonly users: UsersRepository,
    private readonly credentials: CredentialsService,
  ) {}

  /**
   * Signs `record` as `user`. Checks, in order: a non-blank meaning (400 VALIDATION_FAILED, nothing counted),
   * the account not locked (429 RATE_LIMITED), the password (422 SIGNATURE_INVALID, counted).
   * The printed name is the user's name now, read fresh, not the one in their token.
   */
  async sign(user: AuthUser, request: SignatureRequest, at: Date): Promise<Signature> {
    const meaning = typeof request.meaning === 'string' ? request.meaning.trim() : '';
    if (meaning === '')
      throw validationFailed([{ field: 'meaning', errors: ['meaning must state what the signature means'] }]);
    const signer = await this.users.findById(user.id);
    if (!signer || !signer.active)
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The signer is deactivated');
    const right = await this.credentials.check({
      email: signer.email,
      user: signer,
      knownUserId: signer.id,
      password: request.password,
      kind: 'SIGNATURE',
      source: sourceOfUser(user),
      actor: actorOf(user),
    });
    if (!right) {
      throw new DomainError(ErrorCode.SIGNATURE_INVALID, 'The password does not match the signer');
    }
    return {
      signerId: signer.id,
      signerName: signer.name,
      signerRole: signer.role,
      meaning,
      signedAt: at,
      recordHash: recordHashOf(request.record),
    };
  }

  /**
   * Authenticates a second person on the spot (a thaw witness signs with their own password). Answers the
   * witness's row, or null for an unknown email, a deactivated account or a wrong password, all alike (the
   * same work, the same count); a failure counts against that e-mail for the user who asked, so a user can
   * lock a colleague out of being their own witness only. Refused while locked: 429 RATE_LIMITED.
   *
   * @param requestedBy the signed-in user who asked for the witness: the source and actor of a failure
   */
  async authenticateOtherPerson(
    email: string,
    password: string,
    requestedBy: AuthUser,
  ): Promise<UserRow | null> {
    const found = await this.users.findByEmail(email);
    const witness = found?.active ? found : null;
    const right = await this.credentials.check({
      email,
      user: witness,
      knownUserId: found?.id ?? null,
      password,
      kind: 'SIGNATURE',
      source: sourceOfUser(requestedBy),
      actor: actorOf(requestedBy),
    });
    return right ? witness : null;
  }
}
