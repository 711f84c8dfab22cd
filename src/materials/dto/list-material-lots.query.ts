import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';
import { MATERIAL_KINDS, MaterialKind } from '../materials.repository';

export class ListMaterialLotsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MATERIAL_KINDS })
  @IsOptional()
  @IsIn(MATERIAL_KINDS)
  kind?: MaterialKind;

  @ApiPropertyOptional({ example: 'S2611042', description: 'Lots with exactly this lot number' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  lotNumber?: string;
}
