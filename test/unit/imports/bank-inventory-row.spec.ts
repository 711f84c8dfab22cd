import { dinCheckCharacter } from '../../../src/batches/domain/din';
import {
  BANK_INVENTORY_COLUMNS,
  checkHeader,
  InventoryFileChecks,
  InventoryRow,
  parseInventoryLine,
} from '../../../src/imports/domain/bank-inventory-row';

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
        { line: 1, field: 'cells', message: 'column missing from the header' },
        { line: 1, field: null, message: 'unknown column "notes"' },
        { line: 1, field: 'din', message: 'column given twice' },
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
    ['clinicCode', 'osaka 01'],
    ['externalRef', ''],
    ['birthYear', '1850'],
    ['birthYear', '2031'],
    ['birthYear', '19x1'],
    ['sex', 'female'],
    ['din', 'A1234190000'],
    ['vialLabel', 'A123419000043-V003'],
    ['vialLabel', 'A123419000042-V000'],
    ['vialLabel', 'A123419000042-D01'],
    ['frozenAt', '2019-05-01'],
    ['frozenAt', '2019-02-30T10:00:00Z'],
    ['frozenAt', '2026-11-24T09:10:00Z'],
    ['cells', '0'],
    ['cells', '1.5e6'],
    ['cells', '2000000000000'],
    ['boxId', 'box-12'],
    ['row', '0'],
    ['col', '21'],
  ] as const)('refuses %s = %j, naming the line and the field', (field, value) => {
    const result = parseInventoryLine(7, header, values({ [field]: value }), now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([expect.objectContaining({ line: 7, field })]);
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
      errors: [{ line: 4, field: null, message: 'expected 11 fields, found 10' }],
    });
  });

  it('accepts a DIN typed with its right check character, and refuses a wrong one', () => {
    const din = 'A123419000042';
    const good = parseInventoryLine(2, header, values({ din: `${din}${checkOf(din)}` }), now);
    expect(good.ok).toBe(true);
    const wrongCheck = checkOf(din) === 'A' ? 'B' : 'A';
    expect(parseInventoryLine(2, header, values({ din: `${din}${wrongCheck}` }), now).ok).toBe(false);
  });
});

describe('what the lines of one file must agree on', () => {
  it('refuses a vial label or a position given twice, naming the first line', () => {
    const checks = new InventoryFileChecks();
    expect(checks.check(parsed({}, 2))).toEqual([]);
    expect(checks.check(parsed({ row: '3' }, 3))).toEqual([
      { line: 3, field: 'vialLabel', message: 'the same vial is on line 2' },
    ]);
    expect(checks.check(parsed({ vialLabel: 'A123419000042-V004' }, 4))).toEqual([
      { line: 4, field: 'row', message: 'line 2 puts a vial in the same position' },
    ]);
  });

  it("refuses a DIN given to two donors and a donor's differing birth year or sex", () => {
    const checks = new InventoryFileChecks();
    checks.check(parsed({}, 2));
    const other = { vialLabel: 'A123419000042-V009', row: '9' };
    expect(checks.check(parsed({ ...other, externalRef: 'LEGACY-0099' }, 3))).toEqual([
      { line: 3, field: 'din', message: 'line 2 gives this DIN to another donor' },
    ]);
    expect(checks.check(parsed({ ...other, birthYear: '1962', sex: 'M' }, 4))).toEqual([
      { line: 4, field: 'birthYear', message: 'line 2 gives this donor 1961' },
      { line: 4, field: 'sex', message: 'line 2 gives this donor F' },
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
