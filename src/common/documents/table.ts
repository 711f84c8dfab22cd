import { BODY_FONT_SIZE } from './page-frame';
import { FONT } from './fonts';

export interface TableColumn {
  header: string;
  /** Share of the body's width (the shares of a table's columns add up to 1). */
  share: number;
  align?: 'left' | 'right';
}

/** A row's cells; `struck` draws it crossed out (an entry a later correction replaced, still on the record). */
export interface TableRow {
  cells: string[];
  struck?: boolean;
  shade?: boolean;
}

const PAD = 3;
const SIZE = BODY_FONT_SIZE - 1;

/**
 * Draws a table at the current position across the body's width. A row that does not fit starts a new page,
 * and the header row is repeated there, so every page of a long table can be read alone.
 */
export function drawTable(doc: PDFKit.PDFDocument, columns: TableColumn[], rows: TableRow[]): void {
  const x0 = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const widths = columns.map((c) => c.share * width);
  const header: TableRow = { cells: columns.map((c) => c.header), shade: true };
  drawRow(doc, x0, widths, columns, header, true);
  for (const row of rows) {
    const height = rowHeight(doc, widths, row);
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      drawRow(doc, x0, widths, columns, header, true);
    }
    drawRow(doc, x0, widths, columns, row, false, height);
  }
  doc.x = x0;
  doc.moveDown(0.6);
}

function rowHeight(doc: PDFKit.PDFDocument, widths: number[], row: TableRow): number {
  doc.font(FONT.regular).fontSize(SIZE);
  const heights = row.cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i] - 2 * PAD }));
  return Math.max(...heights) + 2 * PAD;
}

function drawRow(
  doc: PDFKit.PDFDocument,
  x0: number,
  widths: number[],
  columns: TableColumn[],
  row: TableRow,
  isHeader: boolean,
  height = rowHeight(doc, widths, row),
): void {
  const y = doc.y;
  const total = widths.reduce((a, b) => a + b, 0);
  if (row.shade) doc.rect(x0, y, total, height).fill(isHeader ? '#e4e4e4' : '#f4f4f4');
  doc.fillColor(row.struck ? '#666666' : 'black');
  doc.font(isHeader ? FONT.bold : FONT.regular).fontSize(SIZE);
  let x = x0;
  row.cells.forEach((cell, i) => {
    doc.text(cell, x + PAD, y + PAD, {
      width: widths[i] - 2 * PAD,
      align: columns[i].align ?? 'left',
      strike: row.struck === true,
    });
    x += widths[i];
  });
  doc
    .moveTo(x0, y + height)
    .lineTo(x0 + total, y + height)
    .lineWidth(0.3)
    .stroke('#aaaaaa');
  doc.fillColor('black').font(FONT.regular).fontSize(BODY_FONT_SIZE);
  doc.x = x0;
  doc.y = y + height;
}
