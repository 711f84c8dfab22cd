import { ApiProperty } from '@nestjs/swagger';
import {
  DateTimeProperty,
  IntegerProperty,
  NullableObjectProperty,
  UuidProperty,
} from '../../common/http/view-properties';
import { ReceiptDeviation } from '../domain/cold-chain';
import { DoseStatus } from '../domain/dose-state-machine';
import { INJECTION_SITES, InjectionSite } from '../domain/injection-site';
import { BatchIdentity } from '../../batches/batches.service';
import { DoseEntity } from '../dose.entity';

/** A deviation found when the clinic received the dose (`ReceiptDeviation`). */
export class DoseDeviationDto {
  @ApiProperty({ enum: ['TEMPERATURE_OUT_OF_RANGE'], example: 'TEMPERATURE_OUT_OF_RANGE' })
  type!: ReceiptDeviation['type'];

  @ApiProperty({ example: 9.5 })
  temperatureC!: number;

  @ApiProperty({ example: 2 })
  allowedMinC!: number;

  @ApiProperty({ example: 8 })
  allowedMaxC!: number;
}

export class DoseReceiptDto {
  @DateTimeProperty({ example: '2026-11-24T02:00:00.000Z' })
  receivedAt!: Date;

  @ApiProperty({ example: 5.5 })
  temperatureC!: number;

  @ApiProperty({ example: true })
  intact!: boolean;
}

export class DoseViewDto {
  @UuidProperty({ example: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' })
  id!: string;

  @UuidProperty({ example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' })
  batchId!: string;

  @ApiProperty({ example: 'X999926000042' })
  din!: string;

  @UuidProperty({ example: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' })
  donorId!: string;

  @ApiProperty({
    example: 'X999926000042-D01',
    description: '<DIN>-Dnn for fresh doses, <DIN>-Bnn for boosters',
  })
  label!: string;

  @ApiProperty({ enum: ['FRESH', 'BOOSTER'], example: 'FRESH' })
  kind!: string;

  @UuidProperty({ nullable: true, example: null })
  boosterId!: string | null;

  @ApiProperty({ enum: DoseStatus, example: DoseStatus.FORMULATED })
  status!: DoseStatus;

  @IntegerProperty({ example: 50_000_000, description: 'Viable cells' })
  cells!: number;

  @ApiProperty({ example: 2.5 })
  volumeMl!: number;

  @DateTimeProperty({ example: '2026-11-24T00:00:00.000Z' })
  formulatedAt!: Date;

  @DateTimeProperty({
    example: '2026-11-25T06:00:00.000Z',
    description:
      'Fresh doses: 48 h after the final harvest; boosters: 6 h after formulation. Not administered at or after it',
  })
  expiresAt!: Date;

  @UuidProperty({ example: '3f1c2a9e-6d7b-4c1e-9a55-0b6f1e2d3c4a' })
  formulatedBy!: string;

  @DateTimeProperty({ nullable: true, example: null })
  dispatchedAt!: Date | null;

  @NullableObjectProperty(DoseReceiptDto, 'Null until the clinic receives the dose')
  receipt!: DoseReceiptDto | null;

  @ApiProperty({
    type: [DoseDeviationDto],
    description: 'Deviations recorded on the dose (a temperature outside 2..8 C at receipt)',
  })
  deviations!: ReceiptDeviation[];

  @DateTimeProperty({ nullable: true, example: null })
  administeredAt!: Date | null;

  @UuidProperty({ nullable: true, example: null })
  administeredBy!: string | null;

  // A nullable enum admits null only when null is one of its values (OpenAPI 3.0.3).
  @ApiProperty({ type: String, enum: [...INJECTION_SITES, null], nullable: true, example: null })
  site!: InjectionSite | null;

  @DateTimeProperty({ nullable: true, example: null })
  destroyedAt!: Date | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  destructionReason!: string | null;

  @DateTimeProperty({ nullable: true, example: null })
  recalledAt!: Date | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  recallReason!: string | null;
}

export class DosePageDto {
  @ApiProperty({ type: [DoseViewDto] })
  items!: DoseViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

/** The view of a dose; the DIN and donor are its batch's (the batches module answers them). */
export function doseView(row: DoseEntity, batch: BatchIdentity): DoseViewDto {
  return {
    id: row.id,
    batchId: row.batchId,
    din: batch.din,
    donorId: batch.donorId,
    label: row.label,
    kind: row.kind,
    boosterId: row.boosterId,
    status: row.status,
    cells: row.cells,
    volumeMl: row.volumeMl,
    formulatedAt: row.formulatedAt,
    expiresAt: row.expiresAt,
    formulatedBy: row.formulatedBy,
    dispatchedAt: row.dispatchedAt,
    receipt:
      row.receivedAt === null
        ? null
        : {
            receivedAt: row.receivedAt,
            temperatureC: row.receiptTemperatureC as number,
            intact: row.receiptIntact as boolean,
          },
    deviations: row.receiptDeviations,
    administeredAt: row.administeredAt,
    administeredBy: row.administeredBy,
    site: row.site,
    destroyedAt: row.destroyedAt,
    destructionReason: row.destructionReason,
    recalledAt: row.recalledAt,
    recallReason: row.recallReason,
  };
}
