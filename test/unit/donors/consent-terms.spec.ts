import {
  bankingConsentInForce,
  bankingTermsChanged,
  consentProblems,
} from '../../../src/donors/domain/consent-terms';

const signedAt = new Date('2026-11-20T01:00:00Z');

describe('consent terms', () => {
  it('accepts a banking expiry after the signature', () => {
    expect(
      consentProblems({
        treatment: true,
        banking: true,
        signedAt,
        bankingExpiresAt: new Date('2031-11-20T00:00:00Z'),
      }),
    ).toEqual([]);
  });

  it('refuses a banking expiry without banking consent', () => {
    expect(
      consentProblems({
        treatment: true,
        banking: false,
        signedAt,
        bankingExpiresAt: new Date('2031-11-20T00:00:00Z'),
      }),
    ).toEqual([{ field: 'bankingExpiresAt', error: expect.stringContaining('banking: true') }]);
  });

  it('refuses a banking expiry at or before the signature', () => {
    expect(
      consentProblems({ treatment: true, banking: true, signedAt, bankingExpiresAt: signedAt }),
    ).toHaveLength(1);
  });

  it('holds banking consent in force until its expiry, exclusive', () => {
    const terms = { banking: true, bankingExpiresAt: new Date('2030-01-01T00:00:00Z') };
    expect(bankingConsentInForce(terms, new Date('2029-12-31T23:59:59Z'))).toBe(true);
    expect(bankingConsentInForce(terms, new Date('2030-01-01T00:00:00Z'))).toBe(false);
    expect(
      bankingConsentInForce({ banking: true, bankingExpiresAt: null }, new Date('2099-01-01T00:00:00Z')),
    ).toBe(true);
    expect(bankingConsentInForce({ banking: false, bankingExpiresAt: null }, signedAt)).toBe(false);
    expect(bankingConsentInForce(null, signedAt)).toBe(false);
  });

  it('tells the bank of a withdrawal or a moved expiry, not of a treatment-only change', () => {
    const banked = { banking: true, bankingExpiresAt: null };
    expect(bankingTermsChanged(banked, { banking: false, bankingExpiresAt: null })).toBe(true);
    expect(
      bankingTermsChanged(banked, { banking: true, bankingExpiresAt: new Date('2030-01-01T00:00:00Z') }),
    ).toBe(true);
    expect(bankingTermsChanged(banked, { banking: true, bankingExpiresAt: null })).toBe(false);
    expect(bankingTermsChanged(null, { banking: false, bankingExpiresAt: null })).toBe(false);
    expect(bankingTermsChanged(null, banked)).toBe(true);
  });
});
