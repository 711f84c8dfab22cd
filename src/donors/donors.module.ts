import { Module } from '@nestjs/common';
import { ErrorCode } from '../common/errors/error-code';
import { registerConstraintCode } from '../common/errors/constraint-codes';
import { DonorsController } from './donors.controller';
import { DonorsRepository } from './donors.repository';
import { DonorsService } from './donors.service';
import { KneeAssessmentsController } from './knee-assessments.controller';
import { KneeAssessmentsRepository } from './knee-assessments.repository';
import { KneeAssessmentsService } from './knee-assessments.service';
import { LegacyDonorsRepository } from './legacy-donors.repository';
import { LegacyDonorsService } from './legacy-donors.service';

// Two corrections of one screening result racing past the row lock: the second corrects a corrected entry.
registerConstraintCode('donor_screenings_corrects_once', ErrorCode.INVALID_TRANSITION);

/** Donors (patients), their consents, infectious screening and knee gradings. Other modules call DonorsService only. */
@Module({
  controllers: [DonorsController, KneeAssessmentsController],
  providers: [
    DonorsRepository,
    DonorsService,
    KneeAssessmentsRepository,
    KneeAssessmentsService,
    LegacyDonorsRepository,
    LegacyDonorsService,
  ],
  exports: [DonorsService, LegacyDonorsService],
})
export class DonorsModule {}
