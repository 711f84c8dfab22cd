import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';

export const PRODUCT_TYPES = ['CULTURED_ADSC'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

/** The batch ceiling is the schema's: 1e6..1e10 viable cells is what one knee dose plus surplus can need. */
export const MIN_TARGET_CELLS = 1_000_000;
export const MAX_TARGET_CELLS = 10_000_000_000;

export class CreateBatchDto {
  @ApiProperty({
    format: 'uuid',
    example: '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b',
    description: 'A harvest received at the CPC',
  })
  @IsUUID()
  harvestId!: string;

  @ApiProperty({
    enum: PRODUCT_TYPES,
    example: 'CULTURED_ADSC',
    description: 'Selects the specification in force',
  })
  @IsIn(PRODUCT_TYPES)
  productType!: ProductType;

  @ApiProperty({
    type: 'integer',
    example: 100_000_000,
    minimum: MIN_TARGET_CELLS,
    maximum: MAX_TARGET_CELLS,
    description: 'Viable cells the clinic ordered: the CELL_COUNT release limit and the projection target',
  })
  @IsInt()
  @Min(MIN_TARGET_CELLS)
  @Max(MAX_TARGET_CELLS)
  targetCellCount!: number;
}
