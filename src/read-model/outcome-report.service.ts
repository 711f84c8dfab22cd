import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { AuthUser } from '../common/transaction/auth-user';
import {
  OutcomeGroupDto,
  OutcomeMonthDto,
  OutcomeReportDto,
  OutcomeReportQuery,
} from './dto/outcome-report.dto';
import { OutcomeGroupRow, OutcomeReportRepository } from './outcome-report.repository';

/**
 * The outcome report (docs/outcomes.md, "The report"): responders and median VAS reduction by follow-up month,
 * Kellgren-Lawrence grade and cells per knee, and the median time to a booster, for knees first injected in
 * [from, to). The figures come from one set-based query; this only scopes it and names the groups.
 */
@Injectable()
export class OutcomeReportService {
  constructor(
    private readonly report: OutcomeReportRepository,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async outcomes(user: AuthUser, query: OutcomeReportQuery): Promise<OutcomeReportDto> {
    const clinicId = this.clinicOf(user, query.clinicId);
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (to.getTime() <= from.getTime()) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, '`to` must be after `from`', { fields: ['to'] });
    }
    const rows = await this.report.report(from, to, clinicId, this.env.facilityTz);
    const group = (dimension: OutcomeGroupRow['dimension'], key: string): OutcomeGroupDto => {
      const row = rows.groups.find((g) => g.dimension === dimension && g.groupKey === key);
      return {
        knees: row?.knees ?? 0,
        assessed: row?.assessed ?? 0,
        responders: row?.responders ?? 0,
        medianVasReductionPct: round2(row?.medianVasReductionPct ?? null),
      };
    };
    const month = (key: string): OutcomeMonthDto => {
      const { assessed, responders, medianVasReductionPct } = group('MONTH', key);
      return { assessed, responders, medianVasReductionPct };
    };
    return {
      from,
      to,
      clinicId,
      treatedKnees: rows.treatedKnees,
      byMonth: { '3': month('3'), '6': month('6'), '12': month('12'), '24': month('24') },
      byKellgrenLawrence: {
        '0': group('KL', '0'),
        '1': group('KL', '1'),
        '2': group('KL', '2'),
        '3': group('KL', '3'),
        '4': group('KL', '4'),
      },
      byCellsPerKnee: {
        '<100M': group('CELLS', '<100M'),
        '100-200M': group('CELLS', '100-200M'),
        '>200M': group('CELLS', '>200M'),
      },
      medianMonthsToBooster: round2(rows.medianMonthsToBooster),
    };
  }

  /** A doctor's report is of their clinic; naming another is 404 (rule 11). */
  private clinicOf(user: AuthUser, clinicId: string | undefined): string | null {
    if (user.role !== 'doctor') return clinicId ?? null;
    if (clinicId !== undefined && clinicId !== user.clinicId) throw notFound('Clinic', clinicId);
    return user.clinicId;
  }
}

function round2(value: number | null): number | null {
  return value === null ? null : Math.round(value * 100) / 100;
}
