import { AuthUser } from '../../common/transaction/auth-user';

/**
 * Who made a password attempt, for the lock-out (src/auth/credentials.service.ts): failures lock an account
 * for their source only, so whoever guesses is held back, not the account's owner signing in elsewhere.
 */

/** A check made by a signed-in user (signature, password change, a witness they asked for): that user. */
export function sourceOfUser(user: Pick<AuthUser, 'id'>): string {
  return `user:${user.id}`;
}

/** An anonymous sign-in (login, the queue dashboard's Basic): the client's address. */
export function sourceOfAddress(address: string): string {
  return `ip:${address}`;
}
