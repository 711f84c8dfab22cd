import { Band, drawTable, finishDocument, FONT, openDocument, PageFrame } from '../../common/documents';
import { PeriodicReportDto } from '../../read-model/dto/periodic-report.dto';
import { periodicReportRows } from '../../read-model/periodic-report.service';
import { facilityTime } from '../domain/record-format';
import { fields, section } from './sections';

export interface PeriodicReportIdentity {
  facility: string;
  timeZone: string;
  /** The clinic the report is for, or null for the whole facility. */
  clinic: { code: string; name: string } | null;
}

/**
 * The sections of the printed report, each the figures under prefixes of the JSON's dotted names, with the
 * time each kind of record is counted by (docs/vigilance.md, "The periodic report"), so a reader of the paper
 * knows what "in the period" meant for each line. Every prefix ends with a dot and is matched against the
 * name plus a dot: a bare literal such as the booster count's name would read as a table name to
 * test/unit/architecture/table-ownership.spec.ts.
 */
const SECTIONS: { title: string; prefixes: string[] }[] = [
  { title: '1. Harvests (by receipt at the CPC)', prefixes: ['harvests.'] },
  { title: '2. Batches (by creation, QA signature, discard)', prefixes: ['batches.'] },
  {
    title: '3. Doses, patients and boosters (by administration, recall, request)',
    prefixes: ['doses.', 'patientsTreated.', 'boosters.'],
  },
  { title: '4. Adverse events by seriousness (by onset)', prefixes: ['adverseEvents.bySeriousness.'] },
  { title: "5. Adverse events by causality (by QA's conclusion)", prefixes: ['adverseEvents.byCausality.'] },
  { title: '6. Deviations by severity (by occurrence)', prefixes: ['deviations.'] },
  { title: '7. Quality control after release', prefixes: ['postReleaseQcFailures.'] },
];

const LABELS: Record<string, string> = {
  'harvests.received': 'Received intact',
  'harvests.rejected': 'Rejected at receipt',
  'batches.started': 'Started',
  'batches.released': 'Released',
  'batches.rejected': 'Rejected by QA',
  'batches.discarded': 'Discarded',
  'doses.administered': 'Doses administered',
  'doses.recalled': 'Doses recalled',
  patientsTreated: 'Patients treated (a dose given)',
  boosters: 'Booster requests',
  postReleaseQcFailures: 'Failing QC results after release',
};

/**
 * The periodic report as a PDF: the same figures as the JSON and the CSV, one table per kind of record, each
 * row with its dotted metric name (the CSV's) beside a label, so the paper and the files can be compared line
 * by line. `hash` is the documentHash of the report's data, printed at the foot of every page.
 */
export function renderPeriodicReport(
  report: PeriodicReportDto,
  identity: PeriodicReportIdentity,
  hash: string,
): Promise<Buffer> {
  const at = (d: Date): string => facilityTime(d, identity.timeZone);
  const scope = identity.clinic ? `${identity.clinic.name} (${identity.clinic.code})` : 'All clinics';
  // The content is as of the period's end: the same period and records give the same bytes.
  const doc = openDocument({
    title: `Periodic report ${at(report.from)} to ${at(report.to)}`,
    asOf: report.to,
  });
  section(doc, 'Period');
  fields(doc, [
    ['From (included)', at(report.from)],
    ['To (excluded)', at(report.to)],
    ['Time zone', identity.timeZone],
    ['For', scope],
  ]);
  const rows = periodicReportRows(report);
  for (const { title, prefixes } of SECTIONS) {
    section(doc, title);
    drawTable(
      doc,
      [
        { header: 'Figure', share: 0.38 },
        { header: 'Metric', share: 0.5 },
        { header: 'Count', share: 0.12, align: 'right' },
      ],
      rows
        .filter(([metric]) => prefixes.some((prefix) => `${metric}.`.startsWith(prefix)))
        .map(([metric, value]) => ({ cells: [labelOf(metric), metric, value] })),
    );
  }
  return finishDocument(
    doc,
    reportFrame(identity.facility, scope, `${at(report.from)} to ${at(report.to)}`, hash),
  );
}

/** A vocabulary key's label (`HOSPITALIZATION` -> `Hospitalization`), or the named figure's. */
function labelOf(metric: string): string {
  if (LABELS[metric]) return LABELS[metric];
  const key = metric
    .slice(metric.lastIndexOf('.') + 1)
    .toLowerCase()
    .replace(/_/g, ' ');
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/** Facility and title on the left, the clinic and the period on the right, on every page. */
function reportFrame(facility: string, scope: string, period: string, hash: string): PageFrame {
  return {
    header: (doc: PDFKit.PDFDocument, band: Band) => {
      const half = band.width / 2;
      doc.font(FONT.bold).fontSize(11).text(facility, band.x, band.y, { width: half });
      doc
        .font(FONT.regular)
        .fontSize(9)
        .text('Periodic report (ASRM)', band.x, band.y + 16, { width: half });
      doc.fontSize(8).text(scope, band.x + half, band.y, { width: half, align: 'right' });
      doc.text(period, band.x + half, band.y + 16, { width: half, align: 'right' });
      const ruleY = band.y + band.height;
      doc
        .moveTo(band.x, ruleY)
        .lineTo(band.x + band.width, ruleY)
        .lineWidth(0.5)
        .stroke('#888888');
    },
    footer: `documentHash (SHA-256) ${hash}\n${facility} · Periodic report · ${scope}`,
  };
}
