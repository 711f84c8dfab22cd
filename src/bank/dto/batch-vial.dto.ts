import { ApiProperty } from '@nestjs/swagger';
import {
  DateTimeProperty,
  IntegerProperty,
  NullableObjectProperty,
  UuidProperty,
} from '../../common/http/view-properties';
import { VialStatus } from '../domain/vial-state-machine';

/** The box position a vial stands in, or stood in last before it left the tank. */
export class BatchVialPositionDto {
  @UuidProperty({ example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c' })
  boxId!: string;

  @ApiProperty({ example: 'LN2 Tank 3 / Rack A / Box 2', description: 'The box and the units above it' })
  boxPath!: string;

  @IntegerProperty({ example: 2 })
  row!: number;

  @IntegerProperty({ example: 7 })
  col!: number;
}

export class BatchVialBoosterDoseDto {
  @UuidProperty({ example: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d' })
  id!: string;

  @ApiProperty({ example: 'ADSC-B-0001' })
  label!: string;

  @ApiProperty({ example: 'FORMULATED' })
  status!: string;
}

export class BatchVialBoosterDto {
  @UuidProperty({ example: '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a' })
  id!: string;

  @ApiProperty({ example: 'REQUESTED' })
  status!: string;

  @DateTimeProperty()
  requestedAt!: Date;

  @NullableObjectProperty(BatchVialBoosterDoseDto, 'The booster dose once formulated')
  dose!: BatchVialBoosterDoseDto | null;
}

/** A banked vial as a batch's lineage and a material lot's recall list show it (`BatchVialRecord`). */
export class BatchVialDto {
  @UuidProperty({ example: '8e9f0a1b-2c3d-4e4f-8a5b-6c7d8e9f0a1b' })
  id!: string;

  @ApiProperty({ example: 'W0000 26 000123-V01' })
  label!: string;

  @ApiProperty({ enum: VialStatus, example: VialStatus.STORED })
  status!: VialStatus;

  @IntegerProperty({ example: 5_000_000, description: 'Viable cells frozen in the vial' })
  cells!: number;

  @ApiProperty({ type: BatchVialPositionDto })
  position!: BatchVialPositionDto;

  @ApiProperty({ example: true, description: 'STORED or RESERVED: still in the tank' })
  inTank!: boolean;

  @DateTimeProperty()
  frozenAt!: Date;

  @DateTimeProperty({ nullable: true, example: null })
  thawedAt!: Date | null;

  @ApiProperty({ type: 'number', nullable: true, example: null })
  postThawViabilityPct!: number | null;

  @DateTimeProperty({ nullable: true, example: null })
  discardedAt!: Date | null;

  @NullableObjectProperty(BatchVialBoosterDto, 'The booster the vial is reserved for or was used in')
  booster!: BatchVialBoosterDto | null;
}
