import { Injectable } from '@nestjs/common';
import { ClinicRow, ClinicsRepository } from '../auth/clinics.repository';
import { notFound } from '../common/errors/domain-error';
import { parseZonedTimestamp } from '../common/validation/past-event.validator';
import { validationFailed } from '../common/validation/validation';
import { CAUSALITIES, SERIOUSNESS_CLASSES } from '../vigilance/domain/adverse-event-rules';
import { PeriodicReportDto, PeriodicReportQuery } from './dto/periodic-report.dto';
import { PeriodicCountsRow, PeriodicReportRepository } from './periodic-report.repository';

const SEVERITIES = ['MINOR', 'MAJOR', 'CRITICAL'] as const;

/**
 * The periodic report (docs/vigilance.md, "The periodic report"): what the facility, or one clinic, did in a
 * period, each figure counted by its own event time in [from, to). The same figures as JSON, CSV and PDF.
 */
@Injectable()
export class PeriodicReportService {
  constructor(
    private readonly read: PeriodicReportRepository,
    private readonly clinics: ClinicsRepository,
  ) {}

  /** Checks: from before to (400), the clinic (404). */
  async report(query: PeriodicReportQuery): Promise<PeriodicReportDto> {
    return (await this.withClinic(query)).report;
  }

  /** The report and the clinic it is for (null: the facility), which the PDF names in its frame. */
  async withClinic(
    query: PeriodicReportQuery,
  ): Promise<{ report: PeriodicReportDto; clinic: ClinicRow | null }> {
    const from = parseZonedTimestamp(query.from) as Date;
    const to = parseZonedTimestamp(query.to) as Date;
    if (!(from < to)) throw validationFailed([{ field: 'to', errors: ['to must be after from'] }]);
    const clinicId = query.clinicId ?? null;
    const clinic = clinicId ? await this.clinics.findById(clinicId) : null;
    if (clinicId && !clinic) throw notFound('Clinic', clinicId);
    return { report: periodicReport(from, to, clinicId, await this.read.counts(from, to, clinicId)), clinic };
  }

  async csv(query: PeriodicReportQuery): Promise<string> {
    return periodicReportCsv(await this.report(query));
  }
}

function periodicReport(
  from: Date,
  to: Date,
  clinicId: string | null,
  row: PeriodicCountsRow,
): PeriodicReportDto {
  return {
    from,
    to,
    clinicId,
    harvests: { received: row.harvestsReceived, rejected: row.harvestsRejected },
    batches: {
      started: row.batchesStarted,
      released: row.batchesReleased,
      rejected: row.batchesRejected,
      discarded: row.batchesDiscarded,
    },
    doses: { administered: row.dosesAdministered, recalled: row.dosesRecalled },
    patientsTreated: row.patientsTreated,
    boosters: row.boosters,
    adverseEvents: {
      bySeriousness: zeroFilled(SERIOUSNESS_CLASSES, row.bySeriousness),
      byCausality: zeroFilled(CAUSALITIES, row.byCausality),
    },
    deviations: zeroFilled(SEVERITIES, row.deviations),
    postReleaseQcFailures: row.postReleaseQcFailures,
  };
}

/** Every key of the vocabulary, 0 where the period had none, so a reader never meets a missing class. */
function zeroFilled<K extends string>(
  keys: readonly K[],
  counts: Record<string, number> | null,
): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, counts?.[key] ?? 0])) as Record<K, number>;
}

/** The report as `[metric, value]` pairs with dotted names (`harvests.received`), in the order of the JSON. */
export function periodicReportRows(report: PeriodicReportDto): [string, string][] {
  const rows: [string, string][] = [];
  const walk = (prefix: string, value: unknown): void => {
    if (value instanceof Date) rows.push([prefix, value.toISOString()]);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(prefix ? `${prefix}.${key}` : key, inner);
    } else if (typeof value === 'number' || typeof value === 'string') rows.push([prefix, String(value)]);
    else rows.push([prefix, '']);
  };
  walk('', report);
  return rows;
}

/** `metric,value` rows (`harvests.received,12`); nothing in them needs quoting. */
export function periodicReportCsv(report: PeriodicReportDto): string {
  const lines = periodicReportRows(report).map(([metric, value]) => `${metric},${value}`);
  return ['metric,value', ...lines].join('\r\n') + '\r\n';
}
