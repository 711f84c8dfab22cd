import { ApiProperty } from '@nestjs/swagger';
import { DateTimeProperty, IntegerProperty, UuidProperty } from '../../common/http/view-properties';
import { TimestampField, UuidField } from '../../common/validation/fields';

export class PeriodicReportQuery {
  @TimestampField({ example: '2026-01-01T00:00:00+09:00', description: 'Start of the period (included)' })
  from!: string;

  @TimestampField({ example: '2027-01-01T00:00:00+09:00', description: 'End of the period (excluded)' })
  to!: string;

  @UuidField({ optional: true, description: 'One clinic (default: the whole facility)' })
  clinicId?: string;
}

export class HarvestCountsDto {
  @IntegerProperty({ description: 'Received intact at the CPC (receivedAt in the period)' })
  received!: number;

  @IntegerProperty({ description: 'Rejected at receipt (receivedAt in the period)' })
  rejected!: number;
}

export class BatchCountsDto {
  @IntegerProperty({ description: 'Created in the period' })
  started!: number;

  @IntegerProperty({ description: 'Released (the signature in the period)' })
  released!: number;

  @IntegerProperty({ description: 'Rejected (the signature in the period)' })
  rejected!: number;

  @IntegerProperty({ description: 'Discarded in the period' })
  discarded!: number;
}

export class DoseCountsDto {
  @IntegerProperty()
  administered!: number;

  @IntegerProperty()
  recalled!: number;
}

export class SeriousnessCountsDto {
  @IntegerProperty() DEATH!: number;
  @IntegerProperty() LIFE_THREATENING!: number;
  @IntegerProperty() HOSPITALIZATION!: number;
  @IntegerProperty() DISABILITY!: number;
  @IntegerProperty() CONGENITAL_ANOMALY!: number;
  @IntegerProperty() OTHER_SERIOUS!: number;
  @IntegerProperty() NON_SERIOUS!: number;
}

export class CausalityCountsDto {
  @IntegerProperty() RELATED!: number;
  @IntegerProperty() POSSIBLY_RELATED!: number;
  @IntegerProperty() UNLIKELY!: number;
  @IntegerProperty() UNRELATED!: number;
}

export class AdverseEventCountsDto {
  @ApiProperty({ type: SeriousnessCountsDto, description: 'Events whose onset falls in the period' })
  bySeriousness!: SeriousnessCountsDto;

  @ApiProperty({ type: CausalityCountsDto, description: 'Events closed in the period, by QA’s conclusion' })
  byCausality!: CausalityCountsDto;
}

export class DeviationCountsDto {
  @IntegerProperty() MINOR!: number;
  @IntegerProperty() MAJOR!: number;
  @IntegerProperty() CRITICAL!: number;
}

export class PeriodicReportDto {
  @DateTimeProperty()
  from!: Date;

  @DateTimeProperty()
  to!: Date;

  @UuidProperty({ nullable: true, example: null, description: 'null: the whole facility' })
  clinicId!: string | null;

  @ApiProperty({ type: HarvestCountsDto })
  harvests!: HarvestCountsDto;

  @ApiProperty({ type: BatchCountsDto })
  batches!: BatchCountsDto;

  @ApiProperty({ type: DoseCountsDto, description: 'administeredAt, recalledAt in the period' })
  doses!: DoseCountsDto;

  @IntegerProperty({ description: 'Patients with a dose administered in the period' })
  patientsTreated!: number;

  @IntegerProperty({ description: 'Booster requests (vials reserved) in the period' })
  boosters!: number;

  @ApiProperty({ type: AdverseEventCountsDto })
  adverseEvents!: AdverseEventCountsDto;

  @ApiProperty({ type: DeviationCountsDto, description: 'Batch deviations that occurred in the period' })
  deviations!: DeviationCountsDto;

  @IntegerProperty({ description: 'Failing QC results recorded after release in the period, not corrected' })
  postReleaseQcFailures!: number;
}
