import { EnumField, NumberField, PastTimestampField, UuidField } from '../../common/validation/fields';
import { Tissue, TISSUES } from '../harvest.entity';

export class CreateHarvestDto {
  @UuidField({
    example: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    description: "A donor of the doctor's clinic",
  })
  donorId!: string;

  @EnumField(TISSUES, { example: 'ADIPOSE' })
  tissue!: Tissue;

  @NumberField({
    min: 0,
    exclusiveMin: true,
    max: 500,
    decimals: 2,
    example: 20,
    description: 'mL collected',
  })
  volumeMl!: number;

  @PastTimestampField({ example: '2026-11-24T09:30:00+09:00', description: 'When the tissue was collected' })
  collectedAt!: string;
}
