import { ApiProperty } from '@nestjs/swagger';
import { CorrectionFields } from '../../common/corrections/correction';
import { IsPastEventTime } from '../../common/validation/past-event.validator';
import { CellNumber, EquipmentIds, Percentage } from './step-fields';

export class RecordFinalHarvestDto extends CorrectionFields {
  @ApiProperty({
    format: 'date-time',
    example: '2026-11-24T09:30:00+09:00',
    description:
      'ISO 8601 with zone; not before the last passage or count, at most 5 minutes ahead. Starts the 48 h shelf life.',
  })
  @IsPastEventTime()
  performedAt!: string;

  @CellNumber('All cells harvested', 200_000_000)
  totalCells!: number;

  @Percentage(
    'Share of the harvested cells alive; viable cells yielded = floor(totalCells * viabilityPct / 100)',
    90,
  )
  viabilityPct!: number;

  @EquipmentIds()
  equipmentIds?: string[];
}
