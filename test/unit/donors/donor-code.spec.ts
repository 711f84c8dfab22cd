import { DONOR_CODE_PATTERN, generateDonorCode } from '../../../src/donors/domain/donor-code';

describe('donor code', () => {
  it('is D- and 8 Crockford base32 characters', () => {
    for (let i = 0; i < 200; i++) expect(generateDonorCode()).toMatch(DONOR_CODE_PATTERN);
  });

  it('encodes 40 random bits: all zero bits and all one bits give the alphabet ends', () => {
    expect(generateDonorCode((size) => Buffer.alloc(size, 0))).toBe('D-00000000');
    expect(generateDonorCode((size) => Buffer.alloc(size, 0xff))).toBe('D-ZZZZZZZZ');
  });

  it('never uses the letters Crockford leaves out (I, L, O, U)', () => {
    const seen = new Set(Array.from({ length: 500 }, () => generateDonorCode().slice(2)).join(''));
    for (const letter of ['I', 'L', 'O', 'U']) expect(seen.has(letter)).toBe(false);
  });

  it('differs between draws', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => generateDonorCode()));
    expect(codes.size).toBe(1000);
  });
});
