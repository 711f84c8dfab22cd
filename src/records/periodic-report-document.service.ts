import { Inject, Injectable } from '@nestjs/common';
import { appConfig, AppConfig } from '../../config/app.config';
import { PeriodicReportQuery } from '../read-model/dto/periodic-report.dto';
import { PeriodicReportService } from '../read-model/periodic-report.service';
import { documentHash } from './domain/document-hash';
import { renderPeriodicReport } from './render/periodic-report.pdf';

/**
 * The periodic report as a PDF (docs/vigilance.md, "The periodic report"): the read model's figures, the same
 * checks (400, 404) and the same numbers as the JSON and the CSV, printed in the shared page frame.
 */
@Injectable()
export class PeriodicReportDocumentService {
  constructor(
    private readonly reports: PeriodicReportService,
    @Inject(appConfig.KEY) private readonly env: AppConfig,
  ) {}

  async pdf(query: PeriodicReportQuery): Promise<Buffer> {
    const { report, clinic } = await this.reports.withClinic(query);
    return renderPeriodicReport(
      report,
      { facility: this.env.facilityName, timeZone: this.env.facilityTz, clinic },
      documentHash(report),
    );
  }
}
