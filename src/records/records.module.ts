import { Module } from '@nestjs/common';
import { ReadModelModule } from '../read-model/read-model.module';
import { PeriodicReportDocumentService } from './periodic-report-document.service';
import { PeriodicReportPdfController } from './periodic-report-pdf.controller';
import { RecordsController } from './records.controller';
import { RecordsService } from './records.service';

/**
 * The batch record and the certificate of analysis, as data and as PDF (docs/records.md), and the periodic
 * report as PDF (docs/vigilance.md). Their data comes from the read model; this module hashes, renders and
 * audits. It owns no table.
 */
@Module({
  imports: [ReadModelModule],
  controllers: [RecordsController, PeriodicReportPdfController],
  providers: [RecordsService, PeriodicReportDocumentService],
})
export class RecordsModule {}
