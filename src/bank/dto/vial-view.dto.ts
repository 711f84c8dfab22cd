import { NullableObjectProperty } from '../../common/http/view-properties';
import { ApiProperty } from '@nestjs/swagger';
import { isLive, VialStatus } from '../domain/vial-state-machine';
import { VialEventRow, VialRow } from '../vials.repository';

export class PositionDto {
  @ApiProperty({ format: 'uuid', example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c' })
  boxId!: string;

  @ApiProperty({ example: 2 })
  row!: number;

  @ApiProperty({ example: 7 })
  col!: number;
}

export class VialEventDto {
  @ApiProperty({
    enum: ['FROZEN', 'MOVED', 'RESERVED', 'THAWED', 'DISCARDED', 'REVIEW_RESCHEDULED'],
    example: 'MOVED',
  })
  event!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2026-11-24T01:00:00.000Z',
    description: 'When it happened',
  })
  at!: Date;

  @ApiProperty({
    type: String,
    format: 'date-time',
    example: '2026-11-24T01:02:00.000Z',
    description: 'When it was recorded',
  })
  recordedAt!: Date;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a',
  })
  actorId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Technician Sato' })
  actorName!: string | null;

  @ApiProperty({ example: 'technician' })
  actorRole!: string;

  @ApiProperty({ enum: VialStatus, nullable: true, example: VialStatus.STORED })
  fromStatus!: VialStatus | null;

  @ApiProperty({ enum: VialStatus, example: VialStatus.STORED })
  toStatus!: VialStatus;

  @NullableObjectProperty(PositionDto, 'Where it was before a move')
  fromPosition!: PositionDto | null;

  @NullableObjectProperty(PositionDto, 'Where it was put (freezing, a move)')
  position!: PositionDto | null;

  @ApiProperty({ type: String, nullable: true, example: 'Rack A consolidated' })
  reason!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: {} })
  details!: Record<string, unknown>;
}

export class VialSummaryDto {
  @ApiProperty({ format: 'uuid', example: '6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d' })
  id!: string;

  @ApiProperty({ example: 'X999926000042-V001' })
  label!: string;

  @ApiProperty({ enum: VialStatus, example: VialStatus.STORED })
  status!: VialStatus;

  @ApiProperty({ example: 5_000_000, description: 'Viable cells frozen in the vial' })
  cells!: number;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c',
    description: 'null once the vial left the tank',
  })
  boxId!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 1 })
  row!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 1 })
  col!: number | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2027-11-24T00:00:00.000Z',
    description: 'The next storage review; null once the vial left the tank',
  })
  nextReviewAt!: Date | null;
}

export class VialViewDto extends VialSummaryDto {
  @ApiProperty({ format: 'uuid', example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' })
  batchId!: string;

  @ApiProperty({ example: 'X999926000042' })
  din!: string;

  @ApiProperty({ format: 'uuid', example: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' })
  donorId!: string;

  @ApiProperty({ example: 'D-7K3M9QXA' })
  donorCode!: string;

  @ApiProperty({ format: 'uuid', example: '9b0e6f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b' })
  clinicId!: string;

  @NullableObjectProperty(PositionDto, 'Where the vial stands; null once thawed or discarded')
  position!: PositionDto | null;

  @ApiProperty({
    type: PositionDto,
    description: 'Where the vial stood last (its position while in the tank)',
  })
  lastPosition!: PositionDto;

  @ApiProperty({
    example: 'LN2 Tank 3 / Rack A / Box 12',
    description: 'The path of the box of lastPosition',
  })
  boxPath!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-11-24T00:00:00.000Z' })
  frozenAt!: Date;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  reviewId!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  boosterId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  thawedAt!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  thawedBy!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: null,
    description: 'The second person who witnessed the thaw',
  })
  witnessId!: string | null;

  @ApiProperty({ type: Number, nullable: true, example: null })
  postThawViabilityPct!: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  discardedAt!: Date | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  discardReason!: string | null;

  @ApiProperty({
    type: [VialEventDto],
    description: 'Every state change and move, oldest first: who, when, why',
  })
  history!: VialEventDto[];
}

export class VialPageDto {
  @ApiProperty({ type: [VialViewDto] })
  items!: VialViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export function vialSummary(
  row: Pick<VialRow, 'id' | 'label' | 'status' | 'cells' | 'boxId' | 'row' | 'col' | 'nextReviewAt'>,
): VialSummaryDto {
  const live = isLive(row.status);
  return {
    id: row.id,
    label: row.label,
    status: row.status,
    cells: row.cells,
    boxId: live ? row.boxId : null,
    row: live ? row.row : null,
    col: live ? row.col : null,
    nextReviewAt: live ? row.nextReviewAt : null,
  };
}

export function vialView(row: VialRow, events: readonly VialEventRow[]): VialViewDto {
  const summary = vialSummary(row);
  const lastPosition = { boxId: row.boxId, row: row.row, col: row.col };
  return {
    ...summary,
    batchId: row.batchId,
    din: row.din,
    donorId: row.donorId,
    donorCode: row.donorCode,
    clinicId: row.clinicId,
    position: isLive(row.status) ? lastPosition : null,
    lastPosition,
    boxPath: row.boxPath,
    frozenAt: row.frozenAt,
    reviewId: isLive(row.status) ? row.reviewId : null,
    boosterId: row.boosterId,
    thawedAt: row.thawedAt,
    thawedBy: row.thawedBy,
    witnessId: row.witnessId,
    postThawViabilityPct: row.postThawViabilityPct,
    discardedAt: row.discardedAt,
    discardReason: row.discardReason,
    history: events.map(vialEventView),
  };
}

export function vialEventView(row: VialEventRow): VialEventDto {
  return {
    event: row.event,
    at: row.at,
    recordedAt: row.recordedAt,
    actorId: row.actorId,
    actorName: row.actorName,
    actorRole: row.actorRole,
    fromStatus: row.fromStatus,
    toStatus: row.toStatus,
    fromPosition:
      row.fromBoxId === null
        ? null
        : { boxId: row.fromBoxId, row: row.fromRow as number, col: row.fromCol as number },
    position:
      row.boxId === null ? null : { boxId: row.boxId, row: row.row as number, col: row.col as number },
    reason: row.reason,
    details: row.details,
  };
}
