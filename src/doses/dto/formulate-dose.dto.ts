import { IntegerField, NumberField, PastTimestampField, UuidListField } from '../../common/validation/fields';

export class FormulateDoseDto {
  @IntegerField({
    min: 1,
    max: 1e12,
    example: 50_000_000,
    description: 'Viable cells drawn from the final harvest',
  })
  cells!: number;

  @NumberField({ min: 0.01, max: 500, decimals: 2, example: 2.5, description: 'Volume in the syringe, mL' })
  volumeMl!: number;

  @PastTimestampField({ example: '2026-11-24T09:00:00+09:00' })
  formulatedAt!: string;

  @UuidListField({
    optional: true,
    maxItems: 50,
    example: ['8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f'],
    description: 'Reagent lots used (recall lists); each must not have expired at formulatedAt',
  })
  materialLotIds?: string[];
}
