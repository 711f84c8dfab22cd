import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  hasAtMostDecimals,
  EnumField,
  IntegerField,
  NestedField,
  NumberField,
  PastTimestampField,
  PercentField,
  UuidListField,
} from '../../../src/common/validation/fields';

class Reading {
  @NumberField({ min: 0, exclusiveMin: true, max: 500, decimals: 2 })
  volumeMl!: number;

  @IntegerField({ min: 1, max: 1e12 })
  cells!: number;

  @PercentField({ optional: true })
  viabilityPct?: number;
}

class Visit {
  @PastTimestampField()
  at!: string;

  @EnumField(['LEFT_KNEE', 'RIGHT_KNEE'])
  site!: string;

  @UuidListField({ optional: true, maxItems: 2 })
  lotIds?: string[];

  @NestedField(Reading)
  reading!: Reading;
}

const valid = {
  at: '2026-01-01T09:00:00+09:00',
  site: 'LEFT_KNEE',
  reading: { volumeMl: 20, cells: 1000 },
};

/** The fields that fail, as the validation pipe would name them. */
function failing(body: Record<string, unknown>): string[] {
  const errors = validateSync(plainToInstance(Visit, body), { forbidUnknownValues: true });
  return errors.flatMap((e) => [e.property, ...(e.children ?? []).map((c) => `${e.property}.${c.property}`)]);
}

describe('field decorators', () => {
  it('accepts a valid body', () => {
    expect(failing(valid)).toEqual([]);
  });

  it('counts decimals by arithmetic, exponent notation too (1e-7 has 7), so no number crashes the check', () => {
    expect([1e-7, 1.5e-7, 5e-324, 0.001, 2.345].map((v) => hasAtMostDecimals(v, 2))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect([20, 2.25, 1.15, 0.29, 99.99, 0, -12.5, 1e21].map((v) => hasAtMostDecimals(v, 2))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(hasAtMostDecimals(99999.999, 3)).toBe(true);
    expect(hasAtMostDecimals(1e-7, 7)).toBe(true);
    expect(failing({ ...valid, reading: { volumeMl: 1e-7, cells: 1 } })).toEqual([
      'reading',
      'reading.volumeMl',
    ]);
    expect(failing({ ...valid, reading: { volumeMl: 2.345, cells: 1 } })).toEqual([
      'reading',
      'reading.volumeMl',
    ]);
  });

  it('refuses the exclusive lower bound, a fraction where an integer is due, and a percentage over 100', () => {
    expect(failing({ ...valid, reading: { volumeMl: 0, cells: 1 } })).toEqual([
      'reading',
      'reading.volumeMl',
    ]);
    expect(failing({ ...valid, reading: { volumeMl: 1, cells: 1.5 } })).toEqual(['reading', 'reading.cells']);
    expect(failing({ ...valid, reading: { volumeMl: 1, cells: 1, viabilityPct: 100.5 } })).toEqual([
      'reading',
      'reading.viabilityPct',
    ]);
  });

  it('refuses a nested value that is not an object (a string, an array, null) at the field itself', () => {
    for (const reading of ['20 mL', [{ volumeMl: 1, cells: 1 }], null]) {
      expect(failing({ ...valid, reading })).toContain('reading');
    }
  });

  it('refuses a time without a zone or in the future, a value outside the enum, and a repeated or long UUID list', () => {
    expect(failing({ ...valid, at: '2026-01-01T09:00:00' })).toEqual(['at']);
    expect(failing({ ...valid, at: new Date(Date.now() + 3_600_000).toISOString() })).toEqual(['at']);
    expect(failing({ ...valid, site: 'ELBOW' })).toEqual(['site']);
    const id = '8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f';
    expect(failing({ ...valid, lotIds: [id, id] })).toEqual(['lotIds']);
    expect(failing({ ...valid, lotIds: ['not-a-uuid'] })).toEqual(['lotIds']);
  });
});
