import { PercentField, UuidListField } from '../../common/validation/fields';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsOptional,
  IsUUID,
  Max,
  Min,
} from 'class-validator';

/** Cell numbers are whole cells; 1e12 is the contract's validation ceiling (docs/http-api.md, "Conventions"). */
export const MAX_CELLS = 1_000_000_000_000;

/** A positive whole number of cells, at most 1e12. */
export const CellNumber = (description: string, example: number): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ description, example, minimum: 1, maximum: MAX_CELLS, type: 'integer' }),
    IsInt(),
    Min(1),
    Max(MAX_CELLS),
  );

/**
 * A percentage in [0, 100] with at most two decimals: the column holds two, and a value the database would
 * round is refused rather than silently changed.
 */
export const Percentage = (description: string, example: number, optional = false): PropertyDecorator =>
  PercentField({ description, example, optional });

/** Reagent lots used in the step, for recall lists; each must exist and not be expired at the step's time. */
export const MaterialLotIds = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: [String],
      format: 'uuid',
      maxItems: 50,
      example: ['6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d'],
      description: 'Material lots used (unknown lot 404, expired at the step time 422 LOT_EXPIRED)',
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(50),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );

/** Equipment a step used (docs/environment.md): unknown 404, overdue or failed at the step's time 422. */
export const EquipmentIds = (): PropertyDecorator =>
  UuidListField({
    maxItems: 20,
    optional: true,
    example: ['3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a'],
    description:
      "Equipment used (unknown 404; calibration overdue or failed at the step's time 422 EQUIPMENT_NOT_QUALIFIED)",
  });
