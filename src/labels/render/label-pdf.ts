import PDFDocument from 'pdfkit';
import { BIOHAZARD_STATEMENT, LabelContent } from '../domain/label-content';
import { LabelSize } from './label-size';
import { symbol, SymbolKind } from './symbols';

const POINTS_PER_INCH = 72;

/** Where things go on a label, in points; one layout per size. */
interface Layout {
  margin: number;
  dataMatrix: { x: number; y: number; size: number };
  linear: { x: number; y: number; width: number; height: number };
  din: { x: number; y: number; fontSize: number };
  text: { x: number; y: number; width: number; fontSize: number };
}

const LAYOUTS: Record<LabelSize['name'], Layout> = {
  // 288 x 288 pt: DIN on top, the linear symbol under it, the DataMatrix at the right, the words below.
  LARGE: {
    margin: 14,
    din: { x: 14, y: 14, fontSize: 16 },
    linear: { x: 14, y: 40, width: 170, height: 42 },
    dataMatrix: { x: 202, y: 14, size: 72 },
    text: { x: 14, y: 96, width: 260, fontSize: 9 },
  },
  // 144 x 72 pt: DataMatrix at the left, DIN and words at the right, the linear symbol along the bottom.
  VIAL: {
    margin: 4,
    dataMatrix: { x: 4, y: 4, size: 36 },
    din: { x: 44, y: 4, fontSize: 6.5 },
    text: { x: 44, y: 13, width: 96, fontSize: 4.3 },
    linear: { x: 4, y: 50, width: 136, height: 18 },
  },
};

/** One page per label, at the label's size: what an office printer prints on label stock. */
export function renderLabelsPdf(labels: readonly LabelContent[], size: LabelSize): Promise<Buffer> {
  const page: [number, number] = [size.widthIn * POINTS_PER_INCH, size.heightIn * POINTS_PER_INCH];
  const doc = new PDFDocument({ size: page, margin: 0, autoFirstPage: false, info: { Title: 'Labels' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const label of labels) {
    doc.addPage({ size: page, margin: 0 });
    drawLabel(doc, label, LAYOUTS[size.name]);
  }
  doc.end();
  return done;
}

function drawLabel(doc: PDFKit.PDFDocument, label: LabelContent, layout: Layout): void {
  const { dataMatrix, linear, din, text } = layout;
  drawSymbol(
    doc,
    'datamatrix',
    label.dataMatrix,
    dataMatrix.x,
    dataMatrix.y,
    dataMatrix.size,
    dataMatrix.size,
  );
  if (label.linear !== null)
    drawSymbol(doc, 'code128', label.linear, linear.x, linear.y, linear.width, linear.height);
  if (label.dinText !== null) drawDin(doc, label.dinText, din);
  doc.font('Helvetica').fontSize(text.fontSize).fillColor('black');
  doc.text(label.lines.join('\n'), text.x, text.y, { width: text.width, lineGap: 0.5 });
  if (label.biohazard) {
    doc.moveDown(0.3).font('Helvetica-Bold').text(BIOHAZARD_STATEMENT, { width: text.width });
  }
}

/** The eye-readable DIN in its groups, the flag characters, and the check character in a box. */
function drawDin(
  doc: PDFKit.PDFDocument,
  dinText: NonNullable<LabelContent['dinText']>,
  at: Layout['din'],
): void {
  doc.font('Helvetica-Bold').fontSize(at.fontSize).fillColor('black');
  const groups = `${dinText.groups} ${dinText.flags}`;
  doc.text(groups, at.x, at.y, { lineBreak: false });
  const x = at.x + doc.widthOfString(groups) + at.fontSize * 0.4;
  const boxSize = at.fontSize * 1.15;
  doc
    .lineWidth(Math.max(0.4, at.fontSize / 16))
    .rect(x, at.y - at.fontSize * 0.12, boxSize, boxSize)
    .stroke();
  const checkX = x + (boxSize - doc.widthOfString(dinText.check)) / 2;
  doc.text(dinText.check, checkX, at.y, { lineBreak: false });
}

function drawSymbol(
  doc: PDFKit.PDFDocument,
  kind: SymbolKind,
  text: string,
  x: number,
  y: number,
  width: number,
  height: number,
): void {
  const drawn = symbol(kind, text);
  // A DataMatrix keeps its square modules; Code 128 stretches to the box (bar widths scale together).
  const scaleX = width / drawn.width;
  const scaleY = kind === 'datamatrix' ? scaleX : height / drawn.height;
  doc.save().translate(x, y).scale(scaleX, scaleY);
  for (const path of drawn.paths) {
    if (path.strokeWidth === null) doc.path(path.d).fill('black', 'even-odd');
    else doc.path(path.d).lineWidth(path.strokeWidth).stroke('black');
  }
  doc.restore();
}
