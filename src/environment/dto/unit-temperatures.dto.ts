import { ApiProperty } from '@nestjs/swagger';
import { StorageUnitSummaryDto } from '../../bank/dto/storage-unit-view.dto';
import {
  DateTimeProperty,
  IntegerProperty,
  NullableObjectProperty,
  UuidProperty,
} from '../../common/http/view-properties';
import { IntegerField, NumberField, TextField, TimestampField } from '../../common/validation/fields';
import { TemperatureLimits } from '../domain/temperature-limits';
import { ExcursionSummaryDto } from './excursion.dto';

export class TemperatureLimitsDto {
  @ApiProperty({ type: 'number', nullable: true, example: null, description: 'No lower limit when null' })
  minC!: number | null;

  @ApiProperty({ example: -150 })
  maxC!: number;

  @IntegerProperty({ example: 10, description: 'How long out of range makes an excursion' })
  excursionMinutes!: number;
}

export class PatchStorageUnitDto {
  @TextField({ max: 200, notBlank: true, optional: true, example: 'LN2 Tank 3', description: 'Any unit' })
  name?: string;

  @NumberField({
    min: -273.15,
    max: 100,
    decimals: 2,
    optional: true,
    example: -196,
    description: 'TANK or FREEZER only; null removes the lower limit',
  })
  minC?: number | null;

  @NumberField({
    min: -273.15,
    max: 100,
    decimals: 2,
    optional: true,
    example: -150,
    description: 'TANK or FREEZER only',
  })
  maxC?: number;

  @IntegerField({ min: 1, max: 1440, optional: true, example: 10, description: 'TANK or FREEZER only' })
  excursionMinutes?: number;
}

export class StorageUnitWithLimitsDto extends StorageUnitSummaryDto {
  @NullableObjectProperty(
    TemperatureLimitsDto,
    "A TANK's or FREEZER's limits (defaults until set); null for a RACK or BOX",
  )
  limits!: TemperatureLimitsDto | null;
}

export class TemperaturesQuery {
  @TimestampField({
    optional: true,
    example: '2026-10-01T00:00:00Z',
    description: 'Default: 7 days before `to`',
  })
  from?: string;

  @TimestampField({ optional: true, example: '2026-11-01T00:00:00Z', description: 'Default: now' })
  to?: string;
}

export class TemperaturePointDto {
  @DateTimeProperty()
  at!: Date;

  @ApiProperty({ example: -186.4 })
  temperatureC!: number;
}

export class UnitTemperaturesDto {
  @UuidProperty()
  unitId!: string;

  @ApiProperty({ example: 'LN2 Tank 3' })
  unitName!: string;

  @DateTimeProperty()
  from!: Date;

  @DateTimeProperty()
  to!: Date;

  @ApiProperty({ type: TemperatureLimitsDto })
  limits!: TemperatureLimitsDto;

  @ApiProperty({
    example: false,
    description:
      'True when the period held more than 2,000 readings: each interval then shows its lowest and highest',
  })
  downsampled!: boolean;

  @ApiProperty({ type: [TemperaturePointDto], maxItems: 2000 })
  readings!: TemperaturePointDto[];

  @ApiProperty({ type: [ExcursionSummaryDto], description: 'Excursions overlapping the period' })
  excursions!: ExcursionSummaryDto[];
}

export function limitsView(limits: TemperatureLimits): TemperatureLimitsDto {
  return { minC: limits.minC, maxC: limits.maxC, excursionMinutes: limits.excursionMinutes };
}
