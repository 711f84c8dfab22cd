import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';
import { ReviewOutcome, ReviewStatus } from '../domain/review-status';
import { ReviewVialRow } from '../vials.repository';
import { VialSummaryDto, vialSummary } from './vial-view.dto';

export class ListStorageReviewsQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ReviewStatus,
    example: ReviewStatus.DUE,
    description: 'DUE: undecided and due within 30 days or past; PENDING: undecided and due later; DECIDED',
  })
  @IsOptional()
  @IsEnum(ReviewStatus)
  status?: ReviewStatus;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this clinic's donors" })
  @IsOptional()
  @IsUUID()
  clinicId?: string;
}

export class DecideStorageReviewDto {
  @ApiProperty({ enum: [ReviewOutcome.RETAIN, ReviewOutcome.DISPOSE], example: ReviewOutcome.RETAIN })
  @IsIn([ReviewOutcome.RETAIN, ReviewOutcome.DISPOSE])
  outcome!: ReviewOutcome.RETAIN | ReviewOutcome.DISPOSE;

  @ApiPropertyOptional({
    example: 'Consent renewed 2026-10; storage fees paid through 2027',
    maxLength: 5000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 5000)
  notes?: string;
}

export class ReviewVialDto extends VialSummaryDto {
  @ApiProperty({ format: 'uuid', example: '0c6f2a4e-8b1d-4e7a-a3c5-9f1e2d3c4b5a' })
  batchId!: string;

  @ApiProperty({ example: 'X999926000042' })
  din!: string;
}

export class StorageReviewViewDto {
  @ApiProperty({ format: 'uuid', example: '4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a7b' })
  id!: string;

  @ApiProperty({ format: 'uuid', example: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' })
  donorId!: string;

  @ApiProperty({ example: 'D-7K3M9QXA' })
  donorCode!: string;

  @ApiProperty({ format: 'uuid', example: '9b0e6f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b' })
  clinicId!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2027-11-24T00:00:00.000Z' })
  dueAt!: Date;

  @ApiProperty({ enum: ReviewStatus, example: ReviewStatus.DUE })
  status!: ReviewStatus;

  @ApiProperty({
    enum: ReviewOutcome,
    nullable: true,
    example: null,
    description:
      'RETAIN or DISPOSE (QA); NO_VIALS_LEFT when the bank closed it because its vials had left the tanks',
  })
  outcome!: ReviewOutcome | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  decidedAt!: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, example: null })
  decidedBy!: string | null;

  @ApiProperty({ type: String, nullable: true, example: null })
  notes!: string | null;

  @ApiProperty({
    type: [ReviewVialDto],
    description:
      'Undecided: the vials in the tanks it covers; decided: the vials the decision covered, as they are now',
  })
  vials!: ReviewVialDto[];
}

export class StorageReviewPageDto {
  @ApiProperty({ type: [StorageReviewViewDto] })
  items!: StorageReviewViewDto[];

  @ApiProperty({ type: String, nullable: true, example: null })
  nextCursor!: string | null;
}

export function reviewVialView(vial: ReviewVialRow): ReviewVialDto {
  return { ...vialSummary(vial), batchId: vial.batchId, din: vial.din };
}
