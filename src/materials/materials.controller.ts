import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { CreateMaterialLotDto } from './dto/create-material-lot.dto';
import { ListMaterialLotsQuery } from './dto/list-material-lots.query';
import { MaterialLotPageDto, MaterialLotViewDto } from './dto/material-lot-view.dto';
import { MaterialsService } from './materials.service';

@ApiTags('material lots')
@Controller('material-lots')
export class MaterialsController {
  constructor(private readonly materials: MaterialsService) {}

  @Post()
  @Roles('admin', 'qa')
  @ApiOperation({
    summary: 'Register a reagent lot',
    description:
      'expiresAt is the label date (YYYY-MM-DD, usable through that day in FACILITY_TZ) or an exact zoned timestamp.',
  })
  @ApiCreatedResponse({ type: MaterialLotViewDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Invalid body, details.fields names the fields'],
    [ErrorCode.DUPLICATE, 'A lot of this kind with this lot number exists'],
  )
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateMaterialLotDto): Promise<MaterialLotViewDto> {
    return this.materials.create(user, dto);
  }

  @Get()
  @Roles('admin', 'qa', 'technician')
  @ApiOperation({ summary: 'List reagent lots, newest first' })
  @ApiOkResponse({ type: MaterialLotPageDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'Invalid query'])
  list(@Query() query: ListMaterialLotsQuery): Promise<Page<MaterialLotViewDto>> {
    return this.materials.list(query);
  }
}
