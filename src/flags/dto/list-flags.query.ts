import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';
import { FlagStatus, FlagType } from '../domain/flag-type';

export class ListFlagsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: FlagType, example: FlagType.READY_FOR_RELEASE })
  @IsOptional()
  @IsEnum(FlagType)
  type?: FlagType;

  @ApiPropertyOptional({
    enum: FlagStatus,
    example: FlagStatus.OPEN,
    description:
      'OPEN and ACKNOWLEDGED are both open (acknowledging says "seen"); RESOLVED flags stay listed',
  })
  @IsOptional()
  @IsEnum(FlagStatus)
  status?: FlagStatus;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "Only this batch's flags (its doses' and QC results' included)",
  })
  @IsOptional()
  @IsUUID()
  batchId?: string;
}
