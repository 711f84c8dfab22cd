import { drawTable, finishDocument, openDocument, TableRow } from '../../common/documents';
import { BatchRecordData } from '../../read-model/dto/batch-record.dto';
import { latestInstant } from '../domain/document-hash';
import { appliedLimit, resultUnit, besideOriginals, facilityTime, quantity } from '../domain/record-format';
import { recordFrame } from './record-frame';
import { fields, note, section } from './sections';

type Names = (id: string | null) => string;

/**
 * The batch record as a PDF: its sections in the order the cells went (identity, collection and receipt,
 * processing, materials, equipment, QC, deviations, decision, products, hand-offs), a correction printed
 * right after the entry it replaces (which is crossed out, never hidden).
 */
export function renderBatchRecord(record: BatchRecordData, hash: string): Promise<Buffer> {
  const doc = openDocument({ title: `Batch record ${record.batch.din}`, asOf: latestInstant(record) });
  const people = new Map(record.people.map((p) => [p.id, p.name]));
  const name: Names = (id) => (id ? (people.get(id) ?? id) : '—');
  const at = (d: Date | null): string => facilityTime(d, record.facility.timeZone);

  identitySection(doc, record, at);
  collectionSection(doc, record, at, name);
  stepsSection(doc, record, at, name);
  materialsSection(doc, record, at);
  equipmentSection(doc, record, at);
  qcSection(doc, record, at, name);
  deviationsSection(doc, record, at, name);
  decisionSection(doc, record, at);
  productsSection(doc, record, at);
  custodySection(doc, record, at, name);

  return finishDocument(
    doc,
    recordFrame(
      {
        facility: record.facility.name,
        title: 'Batch record',
        din: record.batch.din,
        dinCheck: record.batch.dinCheck,
        donorCode: record.donor.code,
        clinic: record.donor.clinic.name,
      },
      hash,
    ),
  );
}

type At = (d: Date | null) => string;

function identitySection(doc: PDFKit.PDFDocument, r: BatchRecordData, at: At): void {
  section(doc, '1. Identity');
  fields(doc, [
    ['DIN', `${r.batch.din} [${r.batch.dinCheck}]`],
    ['Donor (patient) code', r.donor.code],
    ['Clinic', `${r.donor.clinic.name} (${r.donor.clinic.code})`],
    ['Product', `${r.batch.productType}, specification ${r.batch.specificationVersion}`],
    ['Target cell count', quantity(r.batch.targetCellCount)],
    ['Status', `${r.batch.status}${r.batch.biohazard ? ' · BIOHAZARD (reactive donor)' : ''}`],
    ['Donor screening', r.donor.screeningStatus],
    ['Processing facility', `${r.facility.name} (FIN ${r.facility.fin}); times in ${r.facility.timeZone}`],
    ['Batch created', at(r.batch.createdAt)],
  ]);
}

function collectionSection(doc: PDFKit.PDFDocument, r: BatchRecordData, at: At, name: Names): void {
  const h = r.harvest;
  section(doc, '2. Collection and receipt');
  fields(doc, [
    ['Tissue', `${h.tissue}, ${quantity(h.volumeMl)} mL`],
    ['Collected', `${at(h.collectedAt)} by ${name(h.collectedBy)} at ${r.donor.clinic.name}`],
    ['Received at the CPC', h.receivedAt ? `${at(h.receivedAt)} by ${name(h.receivedBy)}` : 'not received'],
    [
      'On receipt',
      `${h.temperatureC === null ? '—' : `${h.temperatureC} °C`}, container ${intactness(h.intact)}`,
    ],
    ['Receipt status', h.rejectionReason ? `${h.status}: ${h.rejectionReason}` : h.status],
  ]);
}

function intactness(intact: boolean | null): string {
  return intact === null ? 'not stated' : intact ? 'intact' : 'NOT intact';
}

const STEP_NAMES: Record<string, string> = {
  ISOLATION: 'Isolation',
  PASSAGE: 'Passage',
  CELL_COUNT: 'Cell count',
  FINAL_HARVEST: 'Final harvest',
};

function stepsSection(doc: PDFKit.PDFDocument, r: BatchRecordData, at: At, name: Names): void {
  section(doc, '3. Processing steps');
  if (r.steps.length === 0) return note(doc, 'No step recorded.');
  const rows: TableRow[] = besideOriginals(r.steps).map((s) => ({
    cells: [
      at(s.at),
      STEP_NAMES[s.type] ?? s.type,
      s.passageNumber === null ? '' : `P${s.passageNumber}`,
      quantity(s.totalCells),
      `${s.viabilityPct} %`,
      stepDetails(s.details, s.correctsId ? s.reason : null, s.superseded),
      `${name(s.recordedBy)}\n${at(s.recordedAt)}`,
    ],
    struck: s.superseded,
    shade: s.correctsId !== null,
  }));
  drawTable(
    doc,
    [
      { header: 'Performed', share: 0.14 },
      { header: 'Step', share: 0.11 },
      { header: 'Passage', share: 0.085 },
      { header: 'Cells', share: 0.12, align: 'right' },
      { header: 'Viability', share: 0.08, align: 'right' },
      { header: 'Details', share: 0.265 },
      { header: 'Recorded by', share: 0.2 },
    ],
    rows,
  );
}

function stepDetails(
  details: Record<string, unknown>,
  correctionReason: string | null,
  superseded: boolean,
): string {
  const parts = Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? quantity(v) : String(v)}`);
  if (correctionReason) parts.push(`CORRECTION of the entry above: ${correctionReason}`);
  if (superseded) parts.push('(replaced by the correction below)');
  return parts.join('; ');
}

function materialsSection(doc: PDFKit.PDFDocument, r: BatchRecordData, at: At): void {
  section(doc, '4. Materials');
  if (r.materials.length === 0) return note(doc, 'No material lot recorded.');
  drawTable(
    doc,
    [
      { header: 'Used', share: 0.16 },
      { header: 'Step', share: 0.16 },
      { header: 'Kind', share: 0.16 },
      { header: 'Material', share: 0.22 },
      { header: 'Lot', share: 0.14 },
      { header: 'Expiry', share: 0.16 },
    ],
    r.materials.map((m) => ({
      cells: [at(m.usedAt), m.eventType, m.kind, m.name, m.lotNumber, at(m.expiresAt)],
    })),
  );
}

function equipmentSection(doc: PDFKit.PDFDocument, r: BatchRecordData, at: At): void {
  section(doc, '5. Equipment');
  if (r.equipment.length === 0) return note(doc, 'No equipment recorded on the steps.');
  drawTable(
    doc,
    [
      { header: 'Used', share: 0.16 },
      { header: 'Step', share: 0.14 },
      { header: 'Equipment', share: 0.3 },
      { header: 'Calibration due (at the time)', share: 0.22 },
      { header: 'Qualified', share: 0.18 },
    ],
    r.equipment.map((e) => ({
      cells: [
        at(e.usedAt),
        e.eventType,
        `${e.code} ${e.name} (${e.kind})`,
        at(e.calibrationDueAt),
        e.qualified ? 'yes, calibration in date' : 'NO',
      ],
    })),
  );
}

function qcSection(doc: PDFKit.PDFDocument, r: BatchRecordData, at: At, name: Names): void {
  section(doc, '6. Quality control');
  if (r.qc.length === 0) return note(doc, 'No QC result recorded.');
  const rows: TableRow[] = besideOriginals(r.qc).map((q) => ({
    cells: [
      q.test,
      q.value === null ? (q.result ?? '—') : `${q.qualifier ?? ''}${quantity(q.value)}`,
      resultUnit(q.unit, q.spec),
      appliedLimit(q.spec),
      `${q.outcome}${q.recordedAfterRelease ? ' (after release)' : ''}`,
      `${at(q.testedAt)}\n${name(q.recordedBy)}`,
      [
        q.correctsId ? `CORRECTION of the result above: ${q.reason ?? ''}` : '',
        q.supersededBy ? 'replaced below' : '',
      ]
        .filter(Boolean)
        .join('; '),
    ],
    struck: q.supersededBy !== null,
    shade: q.correctsId !== null,
  }));
  drawTable(
    doc,
    [
      { header: 'Test', share: 0.18 },
      { header: 'Value', share: 0.11, align: 'right' },
      { header: 'Unit', share: 0.08 },
      { header: 'Limit applied', share: 0.15 },
      { header: 'Outcome', share: 0.09 },
      { header: 'Tested, recorded by', share: 0.17 },
      { header: 'Correction', share: 0.22 },
    ],
    rows,
  );
}

function deviationsSection(doc: PDFKit.PDFDocument, r: BatchRecordData, at: At, name: Names): void {
  section(doc, '7. Deviations');
  if (r.deviations.length === 0) return note(doc, 'No deviation recorded.');
  drawTable(
    doc,
    [
      { header: 'Occurred', share: 0.14 },
      { header: 'Severity', share: 0.09 },
      { header: 'Description', share: 0.3 },
      { header: 'Opened by', share: 0.15 },
      { header: 'Closure', share: 0.32 },
    ],
    r.deviations.map((d) => ({
      cells: [
        at(d.occurredAt),
        d.severity,
        d.description,
        `${name(d.openedBy)}\n${at(d.openedAt)}`,
        d.status === 'CLOSED'
          ? `CLOSED ${at(d.closedAt)} by ${name(d.closedBy)}: ${d.resolution ?? ''}`
          : 'OPEN: not closed',
      ],
    })),
  );
}

function decisionSection(doc: PDFKit.PDFDocument, r: BatchRecordData, at: At): void {
  section(doc, '8. Decision and signature');
  const d = r.decision;
  if (!d) return note(doc, 'No decision: the batch has not been released or rejected.');
  // The manifestation 21 CFR 11.50 asks of a signed record: printed name, date and time, and meaning.
  fields(doc, [
    ['Decision', d.decision],
    ['Signed by (printed name)', d.signerName],
    ['Date and time', `${at(d.signedAt)} (${r.facility.timeZone})`],
    ['Meaning', d.meaning],
    ...(d.reason ? ([['Reason', d.reason]] as [string, string][]) : []),
    ['Signed record hash', d.recordHash],
  ]);
}

function productsSection(doc: PDFKit.PDFDocument, r: BatchRecordData, at: At): void {
  section(doc, '9. Doses and vials made');
  if (r.doses.length > 0) {
    drawTable(
      doc,
      [
        { header: 'Dose', share: 0.2 },
        { header: 'Kind', share: 0.1 },
        { header: 'Cells', share: 0.13, align: 'right' },
        { header: 'Volume', share: 0.09, align: 'right' },
        { header: 'Expires', share: 0.15 },
        { header: 'Status', share: 0.13 },
        { header: 'Administered', share: 0.2 },
      ],
      r.doses.map((d) => ({
        cells: [
          d.label,
          d.kind,
          quantity(d.cells),
          `${d.volumeMl} mL`,
          at(d.expiresAt),
          d.status,
          d.administration ? `${at(d.administration.administeredAt)} ${d.administration.site ?? ''}` : '—',
        ],
      })),
    );
  } else note(doc, 'No dose made.');
  vialsTable(doc, r, at);
}

function vialsTable(doc: PDFKit.PDFDocument, r: BatchRecordData, at: At): void {
  const vials = r.vials;
  if (vials.length === 0) return note(doc, 'No vial cryopreserved.');
  drawTable(
    doc,
    [
      { header: 'Vial', share: 0.22 },
      { header: 'Cells', share: 0.14, align: 'right' },
      { header: 'Status', share: 0.12 },
      { header: 'Position', share: 0.22 },
      { header: 'Frozen', share: 0.15 },
      { header: 'Thawed', share: 0.15 },
    ],
    vials.map((v) => ({
      cells: [
        v.label,
        quantity(v.cells),
        v.status,
        `${v.position.boxPath} R${v.position.row}C${v.position.col}`,
        at(v.frozenAt),
        at(v.thawedAt),
      ],
    })),
  );
}

function custodySection(doc: PDFKit.PDFDocument, r: BatchRecordData, at: At, name: Names): void {
  section(doc, '10. Hand-offs');
  const { handOffs, verified } = r.custodySummary;
  note(doc, `${verified} of ${handOffs} hand-offs verified by a scan of the label.`);
  const unverified = r.custody.filter((c) => !c.verified);
  if (unverified.length === 0) return;
  note(
    doc,
    'Unverified hand-offs (no scan of the label confirmed them; check them against the paper trail):',
  );
  drawTable(
    doc,
    [
      { header: 'When', share: 0.2 },
      { header: 'Hand-off', share: 0.25 },
      { header: 'Item', share: 0.3 },
      { header: 'By', share: 0.25 },
    ],
    unverified.map((c) => ({ cells: [at(c.at), c.event, c.item, name(c.by)] })),
  );
}
