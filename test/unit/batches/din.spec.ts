import { dinCheckCharacter, dinYear, formatDin, parseDinInput } from '../../../src/batches/domain/din';

describe('DIN check character (ISO/IEC 7064 MOD 37-2)', () => {
  it('gives H for G123498654321, the worked example of the UK Red Book (ISBT 128)', () => {
    expect(dinCheckCharacter('G123498654321')).toBe('H');
  });

  it.each([
    // Thirteen zeros keep the running sum at 0, so the check value is (38 - 0) mod 37 = 1.
    ['0000000000000', '1'],
    // A = 10: (0 + 10) * 2 = 20; then twelve zeros double it mod 37:
    // 3, 6, 12, 24, 11, 22, 7, 14, 28, 19, 1, 2; check value (38 - 2) mod 37 = 36, which is '*'.
    ['A000000000000', '*'],
    // X = 33: 66 mod 37 = 29; '9' -> 76 mod 37 = 2; '9' -> 22; '9' -> 62 mod 37 = 25; '9' -> 68 mod 37 = 31;
    // '2' -> 66 mod 37 = 29; '6' -> 70 mod 37 = 33; '0' x5 -> 29, 21, 5, 10, 20; '1' -> 42 mod 37 = 5;
    // check value (38 - 5) mod 37 = 33, which is 'X'.
    ['X999926000001', 'X'],
  ])('gives the hand-computed check character of %s (%s)', (din, check) => {
    expect(dinCheckCharacter(din)).toBe(check);
  });

  it('catches every single mistyped character of a DIN', () => {
    const din = 'G123498654321';
    const check = dinCheckCharacter(din);
    for (let position = 0; position < din.length; position += 1) {
      for (const typo of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
        if (typo !== din[position]) {
          const mistyped = din.slice(0, position) + typo + din.slice(position + 1);
          expect(dinCheckCharacter(mistyped)).not.toBe(check);
        }
      }
    }
  });

  it('catches every swap of two neighbouring characters', () => {
    const din = 'G123498654321';
    const check = dinCheckCharacter(din);
    for (let position = 0; position < din.length - 1; position += 1) {
      const swapped = din.slice(0, position) + din[position + 1] + din[position] + din.slice(position + 2);
      if (swapped !== din) {
        expect(dinCheckCharacter(swapped)).not.toBe(check);
      }
    }
  });

  it.each(['G12349865432', 'G1234986543210', 'g123498654321', 'G12349865432-'])(
    'refuses %s, which is not 13 characters of the MOD 37-2 set',
    (din) => {
      expect(() => dinCheckCharacter(din)).toThrow(RangeError);
    },
  );
});

describe('formatDin', () => {
  it('joins FIN, two-digit year and six-digit sequence into 13 characters', () => {
    expect(formatDin('X9999', 26, 1)).toBe('X999926000001');
    expect(formatDin('X9999', 5, 42)).toBe('X999905000042');
    expect(formatDin('G1234', 98, 654321)).toBe('G123498654321');
  });

  it('accepts the last sequence of a year and refuses the next', () => {
    expect(formatDin('X9999', 26, 999_999)).toBe('X999926999999');
    expect(() => formatDin('X9999', 26, 1_000_000)).toThrow(RangeError);
  });

  it.each([-1, 1.5, Number.NaN])('refuses the sequence %p', (sequence) => {
    expect(() => formatDin('X9999', 26, sequence)).toThrow(RangeError);
  });

  it.each(['x9999', 'X999', 'X99999', 'XX999', '99999', ''])('refuses the malformed FIN %p', (fin) => {
    expect(() => formatDin(fin, 26, 1)).toThrow(RangeError);
  });

  it.each([-1, 100, 26.5])('refuses the year %p', (year) => {
    expect(() => formatDin('X9999', year, 1)).toThrow(RangeError);
  });
});

describe('parseDinInput (look-up by DIN)', () => {
  it('accepts the bare 13-character DIN', () => {
    expect(parseDinInput('X999926000001')).toEqual({ din: 'X999926000001', check: null });
  });

  it('accepts the DIN followed by its right check character', () => {
    expect(parseDinInput('G123498654321H')).toEqual({ din: 'G123498654321', check: 'H' });
    expect(parseDinInput('A000000000000*')).toEqual({ din: 'A000000000000', check: '*' });
  });

  it('reads lower case as upper case', () => {
    expect(parseDinInput('x999926000001x')).toEqual({ din: 'X999926000001', check: 'X' });
    expect(parseDinInput('g123498654321')).toEqual({ din: 'G123498654321', check: null });
  });

  it('refuses a DIN whose check character is wrong', () => {
    expect(parseDinInput('G123498654321J')).toBeNull();
  });

  it('refuses a mistyped DIN carrying the check character of the real one', () => {
    expect(parseDinInput('G123489654321H')).toBeNull();
  });

  it.each([
    '',
    'G12349865432',
    'G123498654321HH',
    'G12349865432A',
    '9123498654321',
    'G1234-98-654321',
    ' G123498654321',
    'G123498654321 ',
    'G123498654321-',
  ])('returns null for the malformed input %p', (input) => {
    expect(parseDinInput(input)).toBeNull();
  });
});

describe('dinYear (the DIN year follows the facility calendar)', () => {
  it('is still the old year one millisecond before midnight in Tokyo', () => {
    expect(dinYear(new Date('2026-12-31T14:59:59.999Z'), 'Asia/Tokyo')).toBe(26);
  });

  it('is the new year from midnight in Tokyo, while it is still the old year in UTC', () => {
    const at = new Date('2026-12-31T16:00:00Z');
    expect(dinYear(at, 'Asia/Tokyo')).toBe(27);
    expect(dinYear(at, 'UTC')).toBe(26);
  });

  it('wraps the century to 00', () => {
    expect(dinYear(new Date('2099-12-31T15:00:00Z'), 'Asia/Tokyo')).toBe(0);
  });
});
