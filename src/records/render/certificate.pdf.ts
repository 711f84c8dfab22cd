import { drawTable, finishDocument, openDocument } from '../../common/documents';
import { CertificateData } from '../domain/certificate-data';
import { latestInstant } from '../domain/document-hash';
import { appliedLimit, resultUnit, facilityTime, quantity } from '../domain/record-format';
import { recordFrame } from './record-frame';
import { fields, section } from './sections';

const STEP_NAMES: Record<string, string> = {
  ISOLATION: 'Isolation',
  PASSAGE: 'Passage',
  CELL_COUNT: 'Cell count',
  FINAL_HARVEST: 'Final harvest',
};

/** The certificate of analysis that goes with a dose, as a PDF (one or two pages). */
export function renderCertificate(c: CertificateData, hash: string): Promise<Buffer> {
  const doc = openDocument({ title: `Certificate of analysis ${c.dose.label}`, asOf: latestInstant(c) });
  const at = (d: Date | null): string => facilityTime(d, c.facility.timeZone);
  productSections(doc, c, at);
  processingSection(doc, c, at);
  resultsSection(doc, c);
  releaseSection(doc, c, at);
  return finishDocument(
    doc,
    recordFrame(
      {
        facility: c.facility.name,
        title: 'Certificate of analysis',
        din: c.batch.din,
        dinCheck: c.batch.dinCheck,
        donorCode: c.donor.code,
        clinic: c.donor.clinic.name,
        timeZone: c.facility.timeZone,
      },
      hash,
    ),
  );
}

type At = (d: Date | null) => string;

function productSections(doc: PDFKit.PDFDocument, c: CertificateData, at: At): void {
  section(doc, '1. Product');
  fields(doc, [
    ['Dose', `${c.dose.label} (${c.dose.kind})`],
    ['DIN', `${c.batch.din} [${c.batch.dinCheck}]`],
    ['Product', `${c.batch.productType}, specification ${c.batch.specificationVersion}`],
    ['Cells', quantity(c.dose.cells)],
    ['Volume', `${c.dose.volumeMl} mL`],
    ['Formulated', at(c.dose.formulatedAt)],
    ['Expiry', at(c.dose.expiresAt)],
  ]);

  section(doc, '2. Collection and donor');
  fields(doc, [
    ['Patient (donor) code', c.donor.code],
    ['Collected', `${at(c.harvest.collectedAt)} at ${c.donor.clinic.name} (${c.donor.clinic.code})`],
    ['Tissue', `${c.harvest.tissue}, ${quantity(c.harvest.volumeMl)} mL`],
    ['Received at the CPC', at(c.harvest.receivedAt)],
    ['Infectious screening', c.donor.screeningStatus],
  ]);
}

function processingSection(doc: PDFKit.PDFDocument, c: CertificateData, at: At): void {
  section(doc, '3. Processing facility and processing');
  fields(doc, [['Facility', `${c.facility.name} (FIN ${c.facility.fin}); times in ${c.facility.timeZone}`]]);
  drawTable(
    doc,
    [
      { header: 'Performed', share: 0.25 },
      { header: 'Step', share: 0.25 },
      { header: 'Cells', share: 0.3, align: 'right' },
      { header: 'Viability', share: 0.2, align: 'right' },
    ],
    c.processing.map((s) => ({
      cells: [
        at(s.at),
        `${STEP_NAMES[s.type] ?? s.type}${s.passageNumber ? ` P${s.passageNumber}` : ''}`,
        quantity(s.totalCells),
        `${s.viabilityPct} %`,
      ],
    })),
  );
}

function resultsSection(doc: PDFKit.PDFDocument, c: CertificateData): void {
  section(doc, '4. Test results');
  drawTable(
    doc,
    [
      { header: 'Test', share: 0.24 },
      { header: 'Result', share: 0.18, align: 'right' },
      { header: 'Unit', share: 0.1 },
      { header: 'Limit', share: 0.28 },
      { header: 'Outcome', share: 0.2 },
    ],
    c.qc.map((q) => ({
      cells: [
        q.test,
        q.value === null ? (q.result ?? '—') : `${q.qualifier ?? ''}${quantity(q.value)}`,
        resultUnit(q.unit, q.spec),
        appliedLimit(q.spec),
        q.outcome,
      ],
    })),
  );
}

function releaseSection(doc: PDFKit.PDFDocument, c: CertificateData, at: At): void {
  section(doc, '5. Release');
  fields(doc, [
    ['Decision', c.decision.decision],
    ['Signed by (printed name)', c.decision.signerName],
    ['Date and time', `${at(c.decision.signedAt)} (${c.facility.timeZone})`],
    ['Meaning', c.decision.meaning],
    ['Batch record documentHash', c.batchRecordHash],
  ]);
}
