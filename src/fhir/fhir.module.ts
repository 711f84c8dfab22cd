import { Module } from '@nestjs/common';
import { BankModule } from '../bank/bank.module';
import { BatchesModule } from '../batches/batches.module';
import { DonorsModule } from '../donors/donors.module';
import { DosesModule } from '../doses/doses.module';
import { FhirController } from './fhir.controller';
import { FhirService } from './fhir.service';

/** FHIR R4 read API for clinics' systems (docs/notifications.md, "FHIR"); no table of its own. */
@Module({
  imports: [BankModule, BatchesModule, DonorsModule, DosesModule],
  controllers: [FhirController],
  providers: [FhirService],
})
export class FhirModule {}
