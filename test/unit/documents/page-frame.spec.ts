import { createHash } from 'node:crypto';
import { drawTable, finishDocument, openDocument } from '../../../src/common/documents';
import { pdfPages } from '../../support/pdf-text';

async function sample(): Promise<Buffer> {
  const doc = openDocument({ title: 'Frame test', asOf: new Date('2026-11-30T00:00:00Z') });
  doc.text('さくら整形外科クリニック: the first page');
  drawTable(
    doc,
    [
      { header: 'No.', share: 0.2, align: 'right' },
      { header: 'メモ', share: 0.8 },
    ],
    Array.from({ length: 120 }, (_, i) => ({ cells: [String(i + 1), `行 ${i + 1}`], struck: i === 3 })),
  );
  return finishDocument(doc, {
    header: (d, band) => d.text('HEADER 東京 CPC', band.x, band.y, { width: band.width }),
    footer: 'footer text',
  });
}

describe('document page frame', () => {
  it('stamps the header, the footer and "Page n of m" on every page, with Japanese text', async () => {
    const pages = await pdfPages(await sample());
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((text, i) => {
      expect(text).toContain('HEADER 東京 CPC');
      expect(text).toContain('footer text');
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    expect(pages[0]).toContain('さくら整形外科クリニック');
    // The table's header row is repeated on the page it continues on.
    expect(pages[1]).toContain('メモ');
    expect(pages.join('\n')).toContain('行 120');
  });

  it('gives the same bytes for the same content', async () => {
    const [a, b] = [await sample(), await sample()];
    expect(createHash('sha256').update(a).digest('hex')).toBe(createHash('sha256').update(b).digest('hex'));
  });
});
