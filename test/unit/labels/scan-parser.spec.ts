import { dinCheckCharacter } from '../../../src/batches/domain/din';
import {
  dataStructure001,
  dataStructure003,
  dataStructure005,
  doseDivision,
} from '../../../src/labels/domain/isbt128';
import { labelContent } from '../../../src/labels/domain/label-content';
import { parseScan } from '../../../src/labels/domain/scan-parser';
import { judgeScan, SerialFacts } from '../../../src/labels/domain/scan-verdict';
import { ItemIdentity } from '../../../src/labels/domain/subject-type';

const DIN = 'X999926000042';
const CHECK = dinCheckCharacter(DIN);
const WRONG_CHECK = CHECK === 'A' ? 'B' : 'A';
const DOSE_ID = '11111111-1111-4111-8111-111111111111';
const BATCH_ID = '22222222-2222-4222-8222-222222222222';
const HARVEST_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const dose: ItemIdentity = { subjectType: 'DOSE', subjectId: DOSE_ID, itemLabel: `${DIN}-D01` };
const batch: ItemIdentity = { subjectType: 'BATCH', subjectId: BATCH_ID, itemLabel: DIN };
const serialOf = (item: ItemIdentity, voided = false): SerialFacts => ({
  ...item,
  serial: 'L000000007',
  voided,
});
const symbol = `=${DIN}00=<S00000A0&>0263300959 ${DIN}-D01 L000000007`;

describe('ISBT 128 data structures', () => {
  it('001 is = DIN flags, 003 =< code type division, 005 &> cyyjjjhhmm on the facility clock', () => {
    expect(dataStructure001(DIN)).toBe('=X99992600004200');
    expect(dataStructure003('S0000', '0', doseDivision(2))).toBe('=<S00000B0');
    // 2026-11-26 09:59 in Tokyo is day 330 of 2026.
    expect(dataStructure005(new Date('2026-11-26T00:59:30Z'), 'Asia/Tokyo')).toBe('&>0263300959');
    expect(dataStructure005(new Date('2028-12-31T14:59:00Z'), 'Asia/Tokyo')).toBe('&>0283662359');
  });

  it('refuses what is not a DIN, a product code or a division', () => {
    expect(() => dataStructure001('X99992600004')).toThrow(RangeError);
    expect(() => dataStructure003('s0000', '0', '00')).toThrow(RangeError);
    expect(() => doseDivision(27)).toThrow(RangeError);
    expect(doseDivision(26)).toBe('Z0');
  });

  it('a label carries the structures, then the item label and serial in its DataMatrix', () => {
    const content = labelContent(
      {
        ...dose,
        din: DIN,
        dinCheck: CHECK,
        product: { code: 'S0000', typeOfDonation: '0', description: 'Fresh dose', local: true },
        division: 'A0',
        donorCode: 'P-1',
        biohazard: true,
        expiresAt: new Date('2026-11-26T00:59:00Z'),
        facts: [],
      },
      'L000000007',
      'Asia/Tokyo',
    );
    expect(content.dataMatrix).toBe(symbol);
    expect(content.linear).toBe('=X99992600004200');
    expect(content.dinText).toEqual({ groups: 'X9999 26 000042', flags: '00', check: CHECK });
    expect(content.lines).toContain('FOR AUTOLOGOUS USE ONLY');
    expect(content.lines[0]).toContain('local product code');
  });
});

describe('parseScan: every accepted form', () => {
  it.each([
    ['the DataMatrix', symbol, { form: 'ITEM', itemLabel: `${DIN}-D01`, din: DIN, serial: 'L000000007' }],
    [
      'the DataMatrix in lower case with white space around',
      `  ${symbol.toLowerCase()}\n`,
      { form: 'ITEM', serial: 'L000000007' },
    ],
    ['the Code 128 symbol (001)', `=${DIN}00`, { form: 'DIN', din: DIN }],
    ['the DIN', DIN, { form: 'DIN', din: DIN }],
    ['the DIN with its check character', `${DIN}${CHECK}`, { form: 'DIN', din: DIN }],
    [
      'the DIN as printed, in groups with flags and check',
      `X9999 26 000042 00 ${CHECK}`,
      { form: 'DIN', din: DIN },
    ],
    ['the DIN in lower case', ` ${DIN.toLowerCase()} `, { form: 'DIN', din: DIN }],
    ['a dose label text', `${DIN}-d01`, { form: 'ITEM', itemLabel: `${DIN}-D01`, din: DIN, serial: null }],
    ['a vial label text', `${DIN}-V001`, { form: 'ITEM', itemLabel: `${DIN}-V001`, din: DIN }],
    ['a booster label text', `${DIN}-B01`, { form: 'ITEM', itemLabel: `${DIN}-B01` }],
    ['a harvest id', HARVEST_ID, { form: 'ITEM', itemLabel: HARVEST_ID.toUpperCase(), din: null }],
    ['a harvest label symbol', `${HARVEST_ID} L000000003`, { form: 'ITEM', din: null, serial: 'L000000003' }],
    ['a serial', 'l000000007', { form: 'SERIAL', serial: 'L000000007' }],
  ])('%s', (_what, input, expected) => {
    expect(parseScan(input)).toMatchObject(expected);
  });
});

describe('parseScan and judgeScan: near misses', () => {
  it('a wrong check character is its own reading and never matches', () => {
    const parsed = parseScan(`${DIN}${WRONG_CHECK}`);
    expect(parsed).toEqual({ form: 'BAD_CHECK', din: DIN, check: WRONG_CHECK });
    expect(judgeScan(parsed, [batch], null)).toMatchObject({ match: false, reason: 'WRONG_CHECK_CHARACTER' });
  });

  it.each([
    ['a DIN inside a longer string', `A${DIN}`],
    ['a DIN followed by more', `${DIN}${CHECK}AB`],
    ['a label with a tail', `${DIN}-D01X`],
    ['a DataMatrix whose DIN is not its label text', `=X99992600004300=<S00000A0 ${DIN}-D01 L000000007`],
    ['an empty scan', '   '],
    ['a short DIN', 'X99992600004'],
  ])('%s is not a label', (_what, input) => {
    expect(parseScan(input)).toEqual({ form: 'NOT_A_LABEL' });
    expect(judgeScan(parseScan(input), [dose], null).reason).toBe('NOT_A_LABEL');
  });

  it("another batch's DIN or another dose's label names another item", () => {
    expect(judgeScan(parseScan('X999926000043'), [batch], null)).toMatchObject({
      match: false,
      reason: 'OTHER_ITEM',
    });
    expect(judgeScan(parseScan(`${DIN}-D02`), [dose], null)).toMatchObject({
      match: false,
      reason: 'OTHER_ITEM',
    });
  });

  it('a DIN alone names the batch, not a dose of it', () => {
    expect(judgeScan(parseScan(DIN), [dose], null)).toMatchObject({ match: false, reason: 'OTHER_ITEM' });
    expect(judgeScan(parseScan(`=${DIN}00`), [batch], null)).toMatchObject({
      match: true,
      identified: { subjectType: 'BATCH', subjectId: BATCH_ID, serial: null },
    });
  });

  it('a voided serial, an unknown serial and a serial of another item do not verify', () => {
    expect(judgeScan(parseScan(symbol), [dose], serialOf(dose, true))).toMatchObject({
      match: false,
      reason: 'VOIDED_SERIAL',
      identified: { subjectId: DOSE_ID, serial: 'L000000007' },
    });
    expect(judgeScan(parseScan(symbol), [dose], null).reason).toBe('UNKNOWN_SERIAL');
    const other = { subjectType: 'DOSE' as const, subjectId: BATCH_ID, itemLabel: `${DIN}-D02` };
    expect(judgeScan(parseScan('L000000007'), [dose], serialOf(other)).reason).toBe('OTHER_ITEM');
    // The symbol's text says D01 but its serial was printed for D02: not one of our labels.
    expect(judgeScan(parseScan(symbol), [dose], serialOf(other)).reason).toBe('NOT_A_LABEL');
  });

  it('the right symbol, text or serial matches', () => {
    expect(judgeScan(parseScan(symbol), [dose], serialOf(dose)).match).toBe(true);
    expect(judgeScan(parseScan(`${DIN}-D01`), [dose], null).match).toBe(true);
    expect(judgeScan(parseScan('L000000007'), [dose], serialOf(dose)).match).toBe(true);
    const harvest = { subjectType: 'HARVEST' as const, subjectId: HARVEST_ID, itemLabel: HARVEST_ID };
    expect(judgeScan(parseScan(HARVEST_ID.toUpperCase()), [harvest], null).match).toBe(true);
  });
});
