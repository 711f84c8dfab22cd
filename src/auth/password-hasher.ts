import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { appConfig, AppConfig } from '../../config/app.config';

/**
 * Passwords are stored as argon2id hashes (OWASP's first choice); the memory cost comes from the environment
 * so tests can hash cheaply while production keeps the library's 64 MiB.
 */
@Injectable()
export class PasswordHasher {
  private decoy: Promise<string> | null = null;

  constructor(@Inject(appConfig.KEY) private readonly env: AppConfig) {}

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, memoryCost: this.env.passwordHashMemoryKib });
  }

  /** False for a wrong password and for a stored hash argon2 cannot read (never throws for bad input). */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends the time of one verification on nothing, so an unknown email answers as slowly as a wrong
   * password and response times do not tell which accounts exist.
   */
  async verifyNothing(password: string): Promise<void> {
    this.decoy ??= this.hash('decoy password that matches nobody');
    await this.verify(await this.decoy, password);
  }
}
