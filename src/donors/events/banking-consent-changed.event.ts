import { TransactionalEvent } from '../../common/events/event-bus';
import { DomainEvent } from '../../common/events/domain-events';
import { OutboxEvent } from '../../common/transaction/transactions.service';

/** The banking part of a consent, before and after a new consent replaced the one in force. */
export interface BankingTerms {
  banking: boolean;
  bankingExpiresAt: Date | null;
}

/**
 * A new consent changed what the donor allows for banking (docs/domain.md, rule 2). Published inside the
 * consent's transaction, after the consent row is written and under the donor's row lock; the cell bank
 * reacts there (review dates move in the same commit), and the outbox row `donor.banking_consent_changed`
 * carries it to anything that reacts later.
 */
export class BankingConsentChanged extends TransactionalEvent {
  constructor(
    readonly donorId: string,
    readonly clinicId: string,
    readonly consentId: string,
    /** Null for the donor's first consent. */
    readonly previous: BankingTerms | null,
    readonly current: BankingTerms,
    /** Banking consent was in force and is not any more: the donor's banked vials are due for review at once. */
    readonly withdrawn: boolean,
    readonly at: Date,
  ) {
    super();
  }

  override toOutbox(): OutboxEvent {
    return {
      type: DomainEvent.DONOR_BANKING_CONSENT_CHANGED,
      subjectType: 'donor',
      subjectId: this.donorId,
      payload: {
        donorId: this.donorId,
        clinicId: this.clinicId,
        consentId: this.consentId,
        previous: this.previous,
        current: this.current,
        withdrawn: this.withdrawn,
        at: this.at,
      },
    };
  }
}
