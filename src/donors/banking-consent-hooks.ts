import { Injectable } from '@nestjs/common';
import { TransactionContext } from '../common/transaction/transactions.service';

/** The banking part of a consent, before and after a new consent replaced the one in force. */
export interface BankingTerms {
  banking: boolean;
  bankingExpiresAt: Date | null;
}

export interface BankingConsentChange {
  donorId: string;
  clinicId: string;
  consentId: string;
  /** Null for the donor's first consent. */
  previous: BankingTerms | null;
  current: BankingTerms;
  /** Banking consent was in force and is not any more: the donor's banked vials are due for review at once. */
  withdrawn: boolean;
  at: Date;
}

export type BankingConsentHandler = (tx: TransactionContext, change: BankingConsentChange) => Promise<void>;

/**
 * Where the cell bank hears of a changed banking consent (docs/domain.md, rule 2 and "Storage reviews":
 * reviews are updated in the same transaction that withdraws, no job needed to see them). The donors module cannot
 * import the bank (the bank depends on donors), so the bank registers a handler here when it starts:
 *
 *   constructor(hooks: BankingConsentHooks) {}
 *   onModuleInit() { this.hooks.register((tx, change) => this.reviews.onBankingConsentChanged(tx, change)); }
 *
 * Handlers run inside the consent's transaction, after the consent row is written and under the donor's row
 * lock; a handler that throws rolls the consent back. The same change also goes to the outbox as
 * `donor.banking_consent_changed` (see DonorsService.recordConsent) for anything that reacts later.
 *
 * The bank registers ReviewScheduler.onBankingConsentChanged here (StorageReviewsService.onModuleInit).
 */
@Injectable()
export class BankingConsentHooks {
  private readonly handlers: BankingConsentHandler[] = [];

  register(handler: BankingConsentHandler): void {
    this.handlers.push(handler);
  }

  async run(tx: TransactionContext, change: BankingConsentChange): Promise<void> {
    for (const handler of this.handlers) await handler(tx, change);
  }
}
