import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsUUID } from 'class-validator';

export const MAX_LOTS_PER_EVENT = 50;

/**
 * `materialLotIds` of a step that uses reagents (isolation, passage, dose, cryopreservation): optional, UUIDs,
 * no lot twice. Pass them to MaterialsService.recordUsage inside the step's transaction.
 */
export const MaterialLotIdsField = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      type: [String],
      format: 'uuid',
      maxItems: MAX_LOTS_PER_EVENT,
      example: ['2d6f0a3e-4b1c-4f7e-9a8b-6c5d4e3f2a1b'],
      description:
        'Reagent lots used in this step (recall list); a lot expired at the step time is 422 LOT_EXPIRED',
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_LOTS_PER_EVENT),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );
