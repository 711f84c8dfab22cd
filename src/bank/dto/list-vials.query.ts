import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';
import { VialStatus } from '../domain/vial-state-machine';

export class ListVialsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this batch's vials" })
  @IsOptional()
  @IsUUID()
  batchId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only this donor's vials" })
  @IsOptional()
  @IsUUID()
  donorId?: string;

  @ApiPropertyOptional({ enum: VialStatus, example: VialStatus.STORED })
  @IsOptional()
  @IsEnum(VialStatus)
  status?: VialStatus;
}
