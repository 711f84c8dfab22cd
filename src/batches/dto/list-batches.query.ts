import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';
import { BatchStatus } from '../domain/batch-state-machine';

export class ListBatchesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: BatchStatus, example: BatchStatus.IN_CULTURE })
  @IsOptional()
  @IsEnum(BatchStatus)
  status?: BatchStatus;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this donor's batches" })
  @IsOptional()
  @IsUUID()
  donorId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "Only this clinic's batches (a doctor always sees only their own)",
  })
  @IsOptional()
  @IsUUID()
  clinicId?: string;

  @ApiPropertyOptional({
    type: Boolean,
    example: true,
    description:
      'true: only batches ready for injection (same definition as the view); false: only those that are not',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  readyForInjection?: boolean;
}
