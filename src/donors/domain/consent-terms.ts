/** The terms of a consent form as the rules read them. */
export interface ConsentTerms {
  treatment: boolean;
  banking: boolean;
  signedAt: Date;
  bankingExpiresAt: Date | null;
}

export interface ConsentProblem {
  field: 'signedAt' | 'bankingExpiresAt';
  error: string;
}

/**
 * A banking expiry belongs to a banking consent and must come after the signature; otherwise the form was
 * transcribed wrong, and storing it would make review dates (earlier of 12 months and expiry) meaningless.
 */
export function consentProblems(terms: ConsentTerms): ConsentProblem[] {
  const problems: ConsentProblem[] = [];
  if (terms.bankingExpiresAt !== null) {
    if (!terms.banking) {
      problems.push({
        field: 'bankingExpiresAt',
        error: 'bankingExpiresAt is only given with banking: true',
      });
    } else if (terms.bankingExpiresAt.getTime() <= terms.signedAt.getTime()) {
      problems.push({ field: 'bankingExpiresAt', error: 'bankingExpiresAt must be after signedAt' });
    }
  }
  return problems;
}

/** Banking consent in force at `at`: given, and not lapsed. */
export function bankingConsentInForce(
  terms: Pick<ConsentTerms, 'banking' | 'bankingExpiresAt'> | null,
  at: Date,
): boolean {
  return (
    terms !== null &&
    terms.banking &&
    (terms.bankingExpiresAt === null || at.getTime() < terms.bankingExpiresAt.getTime())
  );
}

/** What the bank must hear of: banking given or taken back, or its expiry moved. */
export function bankingTermsChanged(
  previous: Pick<ConsentTerms, 'banking' | 'bankingExpiresAt'> | null,
  current: Pick<ConsentTerms, 'banking' | 'bankingExpiresAt'>,
): boolean {
  if (previous === null) return current.banking;
  return (
    previous.banking !== current.banking ||
    previous.bankingExpiresAt?.getTime() !== current.bankingExpiresAt?.getTime()
  );
}
