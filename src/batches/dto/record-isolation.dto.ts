import { ApiProperty } from '@nestjs/swagger';
import { NumberField } from '../../common/validation/fields';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import { CellNumber, EquipmentIds, MaterialLotIds, Percentage } from './step-fields';

export class RecordIsolationDto {
  @ApiProperty({
    format: 'date-time',
    example: '2026-11-02T10:15:00+09:00',
    description: 'ISO 8601 with zone; not before the harvest receipt, at most 5 minutes ahead',
  })
  @IsPastEventTime()
  performedAt!: string;

  @NumberField({
    example: 18.5,
    min: 0.001,
    max: 99999.999,
    decimals: 3,
    optional: true,
    description: 'Grams of tissue digested',
  })
  tissueWeightG?: number;

  @CellNumber('Cells plated at P0: the start of the growth curve', 100_000)
  cellCount!: number;

  @Percentage('Share of the isolated cells alive', 92.5)
  viabilityPct!: number;

  @MaterialLotIds()
  materialLotIds?: string[];

  @EquipmentIds()
  equipmentIds?: string[];
}
