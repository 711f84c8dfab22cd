import { BODY_FONT_SIZE, FONT } from '../../common/documents';

/** A numbered section heading; starts a new page when fewer than ~4 lines would follow it on this one. */
export function section(doc: PDFKit.PDFDocument, title: string): void {
  if (doc.y > doc.page.height - doc.page.margins.bottom - 70) doc.addPage();
  doc.x = doc.page.margins.left;
  doc.moveDown(0.4);
  doc.font(FONT.bold).fontSize(11).text(title);
  doc.font(FONT.regular).fontSize(BODY_FONT_SIZE);
  doc.moveDown(0.2);
}

/** Label-value lines ("Tissue: ADIPOSE"), label in bold. */
export function fields(doc: PDFKit.PDFDocument, pairs: [string, string][]): void {
  for (const [label, value] of pairs) {
    doc.font(FONT.bold).text(`${label}: `, { continued: true }).font(FONT.regular).text(value);
  }
  doc.moveDown(0.3);
}

/** A line in grey for "nothing recorded" and similar notes. */
export function note(doc: PDFKit.PDFDocument, text: string): void {
  doc.fillColor('#555555').text(text).fillColor('black');
  doc.moveDown(0.3);
}
