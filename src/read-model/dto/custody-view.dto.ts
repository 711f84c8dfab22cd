import { ApiProperty } from '@nestjs/swagger';
import { DateTimeProperty, UuidProperty } from '../../common/http/view-properties';
import { CUSTODY_KINDS, CustodyKind } from '../custody-timeline';

export class CustodySubjectDto {
  @ApiProperty({ enum: ['DOSE', 'VIAL'], example: 'DOSE' })
  subjectType!: 'DOSE' | 'VIAL';

  @UuidProperty()
  subjectId!: string;

  @ApiProperty({ example: 'X999926000042-D01' })
  label!: string;

  @UuidProperty()
  batchId!: string;

  @ApiProperty({ example: 'X999926000042' })
  din!: string;

  @UuidProperty()
  harvestId!: string;
}

export class CustodyEventDto {
  @DateTimeProperty({ description: 'When it happened (a step or hand-off time as recorded with it)' })
  at!: Date;

  @ApiProperty({ enum: CUSTODY_KINDS, example: 'DISPATCHED' })
  kind!: CustodyKind;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    example: '5f0c2a8e-1b3d-4c6e-9f7a-2b4d6e8f0a1c',
  })
  actorId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Sato Hanako' })
  actorName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'technician' })
  actorRole!: string | null;

  @ApiProperty({ enum: ['CLINIC', 'CPC'], example: 'CPC' })
  location!: 'CLINIC' | 'CPC';

  @ApiProperty({
    type: Boolean,
    nullable: true,
    example: true,
    description: "Whether the hand-off's item was scanned; null where no item changed hands",
  })
  scanVerified!: boolean | null;

  @ApiProperty({
    type: 'object',
    properties: {
      action: { type: 'string', description: 'The audited action behind the event' },
      entityId: { type: 'string' },
      scan: { type: 'string' },
      match: { type: 'boolean' },
      reason: { type: 'string', nullable: true },
      handOff: { type: 'string', nullable: true },
      serial: { type: 'string', nullable: true },
    },
    example: { action: 'dose.dispatched', entityId: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' },
  })
  details!: Record<string, unknown>;
}

export class CustodyDto {
  @ApiProperty({ type: CustodySubjectDto })
  subject!: CustodySubjectDto;

  @ApiProperty({ type: [CustodyEventDto], description: 'Oldest first' })
  events!: CustodyEventDto[];
}
