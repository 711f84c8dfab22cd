import { dinCheckCharacter } from '../../../src/batches/domain/din';
import {
  BANK_INVENTORY_COLUMNS,
  checkHeader,
  InventoryFileChecks,
  InventoryRow,
  parseInventoryLine,
} from '../../../src/imports/domain/bank-inventory-row';
import { ImportLineCode } from '../../../src/imports/domain/import-line-code';

const header = [...BANK_INVENTORY_COLUMNS];
const now = new Date('2026-11-24T09:00:00Z');
const BOX = '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c';

function values(overrides: Partial<Record<(typeof header)[number], string>> = {}): string[] {
  const base = {
    clinicCode: 'OSAKA-01',
    externalRef: 'LEGACY-0042',
    birthYear: '1961',
    sex: 'F',
    din: 'A123419000042',
    vialLabel: 'A123419000042-V003',
    frozenAt: '2019-05-01T10:00:00+09:00',
    cells: '5000000',
    boxId: BOX,
    row: '2',
    col: '7',
    ...overrides,
  };
  return header.map((name) => base[name]);
}

function parsed(overrides: Parameters<typeof values>[0] = {}, line = 2): InventoryRow {
  const result = parseInventoryLine(line, header, values(overrides), now);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.row;
}

describe('the header of a bank inventory file', () => {
  it('accepts the columns in any order', () => {
    expect(checkHeader(header)).toEqual([]);
    expect(checkHeader([...header].reverse())).toEqual([]);
  });

  it('reports a missing, an unknown and a repeated column on line 1', () => {
    const errors = checkHeader([...header.filter((name) => name !== 'cells'), 'notes', 'din']);
    expect(errors).toEqual(
      expect.arrayContaining([
        { line: 1, code: 'MISSING_COLUMN', field: 'cells', message: 'column missing from the header' },
        { line: 1, code: 'UNKNOWN_COLUMN', field: null, message: 'unknown column "notes"' },
        { line: 1, code: 'DUPLICATE_COLUMN', field: 'din', message: 'column given twice' },
      ]),
    );
    expect(errors).toHaveLength(3);
  });
});

describe('one line of a bank inventory file', () => {
  it('reads a good line: the ordinal comes from the label, the position and time are parsed', () => {
    expect(parsed()).toEqual({
      line: 2,
      clinicCode: 'OSAKA-01',
      externalRef: 'LEGACY-0042',
      birthYear: 1961,
      sex: 'F',
      din: 'A123419000042',
      vialLabel: 'A123419000042-V003',
      ordinal: 3,
      frozenAt: new Date('2019-05-01T01:00:00Z'),
      cells: 5_000_000,
      boxId: BOX,
      row: 2,
      col: 7,
    });
  });

  it('trims fields and accepts a lower-case label', () => {
    expect(parsed({ vialLabel: ' a123419000042-v003 ', sex: ' F' }).vialLabel).toBe('A123419000042-V003');
  });

  it.each([
    ['clinicCode', 'osaka 01', 'INVALID_VALUE'],
    ['externalRef', '', 'INVALID_VALUE'],
    ['birthYear', '1850', 'INVALID_VALUE'],
    ['birthYear', '2031', 'INVALID_VALUE'],
    ['birthYear', '19x1', 'INVALID_VALUE'],
    ['sex', 'female', 'INVALID_VALUE'],
    ['din', 'A1234190000', 'DIN_INVALID'],
    ['din', 'AA23419000042', 'DIN_INVALID'],
    ['din', 'A123419000042AB', 'DIN_INVALID'],
    ['vialLabel', 'A123419000043-V003', 'VIAL_LABEL_INVALID'],
    ['vialLabel', 'A123419000042-V000', 'VIAL_LABEL_INVALID'],
    ['vialLabel', 'A123419000042-D01', 'VIAL_LABEL_INVALID'],
    ['frozenAt', '2019-05-01', 'INVALID_VALUE'],
    ['frozenAt', '2019-02-30T10:00:00Z', 'INVALID_VALUE'],
    ['frozenAt', '2026-11-24T09:10:00Z', 'FROZEN_IN_FUTURE'],
    ['cells', '0', 'INVALID_VALUE'],
    ['cells', '1.5e6', 'INVALID_VALUE'],
    ['cells', '2000000000000', 'INVALID_VALUE'],
    ['boxId', 'box-12', 'INVALID_VALUE'],
    ['row', '0', 'INVALID_VALUE'],
    ['col', '21', 'INVALID_VALUE'],
  ] as const)('refuses %s = %j as %s, naming the line and the field', (field, value, code) => {
    const result = parseInventoryLine(7, header, values({ [field]: value }), now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([expect.objectContaining({ line: 7, field, code })]);
  });

  it('reports every bad field of a line, not only the first', () => {
    const result = parseInventoryLine(3, header, values({ sex: '?', cells: '-1', row: 'a' }), now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((error) => error.field)).toEqual(['sex', 'cells', 'row']);
  });

  it('refuses a line with the wrong number of fields as a whole', () => {
    const result = parseInventoryLine(4, header, values().slice(0, 10), now);
    expect(result).toEqual({
      ok: false,
      errors: [{ line: 4, code: 'FIELD_COUNT', field: null, message: 'expected 11 fields, found 10' }],
    });
  });

  it('accepts a DIN typed with its right check character, and refuses a wrong one without telling it', () => {
    const din = 'A123419000042';
    const good = parseInventoryLine(2, header, values({ din: `${din}${checkOf(din)}` }), now);
    expect(good.ok && good.row.din).toBe(din);
    const wrongCheck = checkOf(din) === 'A' ? 'B' : 'A';
    expect(parseInventoryLine(2, header, values({ din: `${din}${wrongCheck}` }), now)).toEqual({
      ok: false,
      errors: [
        {
          line: 2,
          code: ImportLineCode.DIN_CHECK_MISMATCH,
          field: 'din',
          message: 'the check character does not match the DIN: one of them is mistyped',
        },
      ],
    });
  });

  it('catches a mistyped DIN by its check character: one digit changed, or two swapped', () => {
    const din = 'A123419000042';
    const check = checkOf(din);
    for (const typo of ['A123419000043', 'A123419000024', 'A213419000042', 'B123419000042']) {
      const result = parseInventoryLine(2, header, values({ din: `${typo}${check}` }), now);
      expect(result.ok ? 'accepted' : result.errors.map((e) => e.code)).toEqual([
        ImportLineCode.DIN_CHECK_MISMATCH,
      ]);
    }
    // The check character is read in any case, like the DIN; the label is the DIN without it.
    const lower = parseInventoryLine(2, header, values({ din: `${din}${check}`.toLowerCase() }), now);
    expect(lower.ok && lower.row.vialLabel).toBe(`${din}-V003`);
  });

  it('refuses a label whose DIN is the check character-bearing form', () => {
    const din = 'A123419000042';
    const result = parseInventoryLine(
      2,
      header,
      values({ din: `${din}${checkOf(din)}`, vialLabel: `${din}${checkOf(din)}-V003` }),
      now,
    );
    expect(result.ok ? 'accepted' : result.errors.map((e) => e.code)).toEqual([
      ImportLineCode.VIAL_LABEL_INVALID,
    ]);
  });
});

describe('what the lines of one file must agree on', () => {
  it('refuses a vial label or a position given twice, naming the first line', () => {
    const checks = new InventoryFileChecks();
    expect(checks.check(parsed({}, 2))).toEqual([]);
    expect(checks.check(parsed({ row: '3' }, 3))).toEqual([
      { line: 3, code: 'VIAL_REPEATED', field: 'vialLabel', message: 'the same vial is on line 2' },
    ]);
    expect(checks.check(parsed({ vialLabel: 'A123419000042-V004' }, 4))).toEqual([
      {
        line: 4,
        code: 'POSITION_REPEATED',
        field: 'row',
        message: 'line 2 puts a vial in the same position',
      },
    ]);
  });

  it("refuses a DIN given to two donors and a donor's differing birth year or sex", () => {
    const checks = new InventoryFileChecks();
    checks.check(parsed({}, 2));
    const other = { vialLabel: 'A123419000042-V009', row: '9' };
    expect(checks.check(parsed({ ...other, externalRef: 'LEGACY-0099' }, 3))).toEqual([
      { line: 3, code: 'DIN_OTHER_DONOR', field: 'din', message: 'line 2 gives this DIN to another donor' },
    ]);
    expect(checks.check(parsed({ ...other, birthYear: '1962', sex: 'M' }, 4))).toEqual([
      { line: 4, code: 'DONOR_DETAILS_DIFFER', field: 'birthYear', message: 'line 2 gives this donor 1961' },
      { line: 4, code: 'DONOR_DETAILS_DIFFER', field: 'sex', message: 'line 2 gives this donor F' },
    ]);
  });

  it('does not hold a bad line against the lines after it', () => {
    const checks = new InventoryFileChecks();
    checks.check(parsed({}, 2));
    checks.check(parsed({ row: '3' }, 3)); // same label: refused, not remembered
    expect(checks.check(parsed({ vialLabel: 'A123419000042-V005', row: '3' }, 4))).toEqual([]);
  });
});

function checkOf(din: string): string {
  return dinCheckCharacter(din);
}
