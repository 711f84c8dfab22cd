import { Band, FONT, PageFrame } from '../../common/documents';

export interface RecordIdentity {
  facility: string;
  title: string;
  din: string;
  dinCheck: string;
  donorCode: string;
  clinic: string;
  /** The facility's zone every time on the document is printed in. */
  timeZone: string;
}

/**
 * The frame of the batch record and the certificate: facility and title on the left; the DIN with its check
 * character in a box (ISBT 128's eye-readable form), the donor code and the clinic on the right; the
 * documentHash and the zone of the times at the foot. On every page, so a loose page still says whose cells it is about.
 */
export function recordFrame(identity: RecordIdentity, documentHash: string): PageFrame {
  return {
    header: (doc, band) => drawHeader(doc, band, identity),
    footer:
      `documentHash (SHA-256) ${documentHash}\n` +
      `${identity.facility} · ${identity.title} · times in ${identity.timeZone}`,
  };
}

function drawHeader(doc: PDFKit.PDFDocument, band: Band, id: RecordIdentity): void {
  const half = band.width / 2;
  doc.font(FONT.bold).fontSize(11).text(id.facility, band.x, band.y, { width: half });
  doc
    .font(FONT.regular)
    .fontSize(9)
    .text(id.title, band.x, band.y + 16, { width: half });

  // DIN, then the check character boxed, right-aligned.
  doc.font(FONT.bold).fontSize(12);
  const checkBox = doc.widthOfString('W') + 6;
  const dinWidth = doc.widthOfString(id.din);
  const right = band.x + band.width;
  const dinX = right - checkBox - 4 - dinWidth;
  doc.text(id.din, dinX, band.y, { lineBreak: false });
  doc
    .rect(right - checkBox, band.y - 2, checkBox, 19)
    .lineWidth(0.8)
    .stroke('black');
  doc.text(id.dinCheck, right - checkBox, band.y, { width: checkBox, align: 'center', lineBreak: false });

  doc.font(FONT.regular).fontSize(8);
  doc.text(`Donor ${id.donorCode} · ${id.clinic}`, band.x + half, band.y + 22, {
    width: half,
    align: 'right',
  });
  const ruleY = band.y + band.height;
  doc.moveTo(band.x, ruleY).lineTo(right, ruleY).lineWidth(0.5).stroke('#888888');
}
