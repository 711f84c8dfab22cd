import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import { INJECTION_SITES, InjectionSite } from '../domain/injection-site';

export class AdministerDoseDto {
  @ApiProperty({
    example: '2026-11-24T14:00:00+09:00',
    description: 'At most 5 minutes ahead; must be before the dose expires',
  })
  @IsPastEventTime()
  administeredAt!: string;

  @ApiProperty({ enum: INJECTION_SITES, example: 'LEFT_KNEE' })
  @IsIn(INJECTION_SITES)
  site!: InjectionSite;

  @ApiProperty({ example: 'P-7KQ2M9', description: "The donor code read from the patient's wristband" })
  @IsString()
  @Length(1, 100)
  patientCode!: string;

  @ApiProperty({ example: 'X999926000042-D01', description: 'The label scanned from the syringe' })
  @IsString()
  @Length(1, 100)
  doseLabel!: string;
}
