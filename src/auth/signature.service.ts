import { Injectable } from '@nestjs/common';
import { AuthUser } from '../common/transaction/auth-user';

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

/**
 * CONTRACT (implementation pending in the auth module): re-authenticates the signer by password.
 * A wrong password is `422 SIGNATURE_INVALID` and counts toward the lock-out like a failed login
 * (recorded in its own transaction so it survives the failed request); a locked account is `429`.
 */
@Injectable()
export class SignatureService {
  async sign(_user: AuthUser, _request: SignatureRequest, _at: Date): Promise<Signature> {
    throw new Error('SignatureService.sign is not implemented yet');
  }
}
