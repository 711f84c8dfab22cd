import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';

export class ListDonorsQuery extends PageQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "Only this clinic's donors (a doctor always sees only their own)",
  })
  @IsOptional()
  @IsUUID()
  clinicId?: string;

  @ApiPropertyOptional({
    example: 'D-7K3M9QXA',
    description: 'The donor with this code (read from a wristband)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  code?: string;

  @ApiPropertyOptional({ example: 'K-000123', description: 'Donors with this clinic chart number' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  externalRef?: string;
}
