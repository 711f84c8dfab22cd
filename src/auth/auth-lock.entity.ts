import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Source of the lock that holds an account for every source at once (many sources, or an admin's unlock). */
export const WHOLE_ACCOUNT = '*';

/**
 * A sign-in lock: the account (its e-mail, lower-cased, known or not) refused to one source until
 * `lockedUntil`, or to all when the source is {@link WHOLE_ACCOUNT}. Written by src/auth/credentials.service.ts.
 */
@Entity('auth_locks')
export class AuthLockEntity {
  @PrimaryColumn({ type: 'text' })
  account!: string;

  @PrimaryColumn({ type: 'text' })
  source!: string;

  @Column({ name: 'locked_until', type: 'timestamptz' })
  lockedUntil!: Date;
}
