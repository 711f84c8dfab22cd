import PDFDocument from 'pdfkit';
import { documentFonts, FONT } from './fonts';

/**
 * The page frame every generated PDF shares: A4, the embedded Noto Sans JP, a header band and a footer on every
 * page with "Page n of m". The body is laid out first with pages buffered; the frame is stamped on each page
 * at the end, when m is known.
 *
 *   const doc = openDocument({ title: 'Batch record X999926000001', asOf });
 *   doc.text('...');                                  // the body, with doc.addPage() as needed
 *   const pdf = await finishDocument(doc, { header: (d, band) => d.text('CPC', band.x, band.y), footer: hash });
 */

export interface DocumentMeta {
  title: string;
  subject?: string;
  author?: string;
  /**
   * The instant the document's content is as of (its latest recorded entry, say). The PDF's creation date and
   * file id derive from it, never from the clock, so the same data gives the same bytes.
   */
  asOf: Date;
}

/** The space above the body on each page, where a header is drawn. */
export interface Band {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PageFrame {
  /** Draws one page's header within `band`; called once per page, with the body font already set. */
  header(doc: PDFKit.PDFDocument, band: Band): void;
  /** Printed at the foot of every page, left; "Page n of m" goes on the right. */
  footer: string;
}

export const PAGE_MARGINS = { top: 78, bottom: 56, left: 48, right: 48 } as const;
export const BODY_FONT_SIZE = 9;

/** A new A4 document with the fonts registered and pages buffered, ready for the body. */
export function openDocument(meta: DocumentMeta): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { ...PAGE_MARGINS },
    bufferPages: true,
    autoFirstPage: true,
    info: {
      Title: meta.title,
      Subject: meta.subject ?? meta.title,
      Author: meta.author ?? 'CPC Tracker',
      Creator: 'CPC Tracker',
      Producer: 'CPC Tracker (PDFKit)',
      CreationDate: meta.asOf,
      ModDate: meta.asOf,
    },
  });
  const fonts = documentFonts();
  // pdfkit accepts a parsed fontkit font where its types name only files and buffers (fonts.ts says why).
  doc.registerFont(FONT.regular, fonts.regular as unknown as Buffer);
  doc.registerFont(FONT.bold, fonts.bold as unknown as Buffer);
  doc.font(FONT.regular).fontSize(BODY_FONT_SIZE);
  return doc;
}

/** Stamps the frame on every page, ends the document and answers its bytes. */
export function finishDocument(doc: PDFKit.PDFDocument, frame: PageFrame): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    stampPage(doc, frame, i - start + 1, count);
  }
  doc.flushPages();
  doc.end();
  return done;
}

function stampPage(doc: PDFKit.PDFDocument, frame: PageFrame, page: number, pages: number): void {
  const { width, height, margins } = doc.page;
  const inner = width - margins.left - margins.right;
  // Text below the bottom margin would make pdfkit start a new page; the frame lives outside the margins.
  const bottom = margins.bottom;
  doc.page.margins.bottom = 0;
  doc.font(FONT.regular).fontSize(BODY_FONT_SIZE).fillColor('black');
  frame.header(doc, { x: margins.left, y: 24, width: inner, height: margins.top - 24 - 8 });
  const ruleY = height - bottom + 10;
  doc
    .moveTo(margins.left, ruleY)
    .lineTo(width - margins.right, ruleY)
    .lineWidth(0.5)
    .stroke('#888888');
  const pageLabel = `Page ${page} of ${pages}`;
  doc.font(FONT.regular).fontSize(7).fillColor('#333333');
  const labelWidth = doc.widthOfString(pageLabel) + 4;
  doc.text(frame.footer, margins.left, ruleY + 6, { width: inner - labelWidth - 12, lineBreak: true });
  doc.text(pageLabel, width - margins.right - labelWidth, ruleY + 6, { width: labelWidth, align: 'right' });
  doc.fillColor('black').fontSize(BODY_FONT_SIZE);
  doc.page.margins.bottom = bottom;
}
