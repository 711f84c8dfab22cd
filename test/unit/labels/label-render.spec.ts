import { writeFileSync } from 'node:fs';
import { dinCheckCharacter } from '../../../src/batches/domain/din';
import { LabelFacts, labelContent } from '../../../src/labels/domain/label-content';
import { renderLabelsPdf } from '../../../src/labels/render/label-pdf';
import { LARGE_LABEL, VIAL_LABEL } from '../../../src/labels/render/label-size';
import { renderLabelsZpl } from '../../../src/labels/render/label-zpl';
import { pdfText, scanPdf } from '../../support/label-scanner';

const DIN = 'X999926000042';
const CHECK = dinCheckCharacter(DIN);
const base: LabelFacts = {
  subjectType: 'DOSE',
  subjectId: '11111111-1111-4111-8111-111111111111',
  itemLabel: `${DIN}-D02`,
  din: DIN,
  dinCheck: CHECK,
  product: { code: 'S1234', typeOfDonation: 'A', description: 'Adipose MSC, fresh dose', local: false },
  division: 'B0',
  donorCode: 'P-7KQ2M9',
  biohazard: true,
  expiresAt: new Date('2026-11-26T00:59:00Z'),
  facts: ['Cells 50,000,000 in 2 mL', 'Expires 2026-11-26 09:59'],
};

describe('labels rendered and read back as a scanner would', () => {
  it('a 4 x 4 inch dose label: both symbols decode to exactly the data structures, the words are in the text', async () => {
    const content = labelContent(base, 'L000000012', 'Asia/Tokyo');
    const pdf = await renderLabelsPdf([content, labelContent(base, 'L000000013', 'Asia/Tokyo')], LARGE_LABEL);
    const pages = await scanPdf(pdf);
    expect(pages).toHaveLength(2);
    expect(pages[0].code128).toEqual(['=X99992600004200']);
    expect(pages[0].dataMatrix).toEqual([`=X99992600004200=<S1234AB0&>0263300959 ${DIN}-D02 L000000012`]);
    expect(pages[1].dataMatrix).toEqual([`=X99992600004200=<S1234AB0&>0263300959 ${DIN}-D02 L000000013`]);
    const text = await pdfText(pdf);
    for (const words of [
      'X9999 26 000042 00',
      CHECK,
      'P-7KQ2M9',
      'FOR AUTOLOGOUS USE ONLY',
      'BIOHAZARD',
      'Expires',
    ]) {
      expect(text).toContain(words);
    }
    if (process.env.LABEL_PNG_OUT) writeFileSync(process.env.LABEL_PNG_OUT, pages[0].png);
  });

  it('a 2 x 1 inch vial label decodes too, and has no expiry structure', async () => {
    const vial: LabelFacts = {
      ...base,
      subjectType: 'VIAL',
      itemLabel: `${DIN}-V003`,
      product: { code: 'S0000', typeOfDonation: '0', description: 'Cryopreserved cells', local: true },
      division: '00',
      biohazard: false,
      expiresAt: null,
      facts: ['Frozen 2026-11-24', 'Cells 5,000,000'],
    };
    const pdf = await renderLabelsPdf([labelContent(vial, 'L000000020', 'Asia/Tokyo')], VIAL_LABEL);
    const [page] = await scanPdf(pdf, 600);
    expect(page.dataMatrix).toEqual([`=X99992600004200=<S0000000 ${DIN}-V003 L000000020`]);
    expect(page.code128).toEqual(['=X99992600004200']);
    const text = await pdfText(pdf);
    expect(text).toContain('local product code');
    expect(text).not.toContain('BIOHAZARD');
  });

  it('the ZPL holds the same data: one format per label, both symbols, the boxed check, the statements', () => {
    const zpl = renderLabelsZpl([labelContent(base, 'L000000012', 'Asia/Tokyo')], LARGE_LABEL);
    expect(zpl.startsWith('^XA')).toBe(true);
    expect(zpl.trim().endsWith('^XZ')).toBe(true);
    expect(zpl).toContain('^PW812');
    expect(zpl).toContain('^LL812');
    expect(zpl).toMatch(
      /\^BXN,\d+,200\n\^FH\^FD=X99992600004200=<S1234AB0&>0263300959 X999926000042-D02 L000000012\^FS/,
    );
    expect(zpl).toMatch(/\^BCN,\d+,N,N,N,A\n\^FH\^FD=X99992600004200\^FS/);
    expect(zpl).toContain(`^FH^FD${CHECK}^FS`);
    expect(zpl).toMatch(/\^GB\d+,\d+,2\^FS/);
    expect(zpl).toContain('FOR AUTOLOGOUS USE ONLY');
    expect(zpl).toContain('BIOHAZARD');
    const vial = renderLabelsZpl(
      [labelContent({ ...base, itemLabel: `${DIN}-V001` }, 'L1', 'UTC')],
      VIAL_LABEL,
    );
    expect(vial).toContain('^PW406');
    expect(vial).toContain('^LL203');
  });

  it('escapes ZPL control characters in field data', () => {
    const zpl = renderLabelsZpl(
      [labelContent({ ...base, donorCode: 'P^X~Y_Z', biohazard: false }, 'L000000001', 'UTC')],
      LARGE_LABEL,
    );
    expect(zpl).toContain('^FH^FDDonor P_5EX_7EY_5FZ^FS');
  });
});
