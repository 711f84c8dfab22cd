import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Page } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import {
  CalibrationViewDto,
  CreateEquipmentDto,
  EquipmentPageDto,
  EquipmentViewDto,
  ListEquipmentQuery,
  RecordCalibrationDto,
} from './dto/equipment.dto';
import { EquipmentService } from './equipment.service';

@ApiTags('equipment')
@Controller('equipment')
export class EquipmentController {
  constructor(private readonly equipment: EquipmentService) {}

  @Post()
  @Roles('admin')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Register a piece of equipment with the due date of its current calibration',
    description:
      'CALIBRATION_DUE is raised 14 days before a due date; steps refuse equipment overdue at their time.',
  })
  @ApiCreatedResponse({ type: EquipmentViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.DUPLICATE, 'A piece with this code exists'])
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateEquipmentDto): Promise<EquipmentViewDto> {
    return this.equipment.create(user, dto);
  }

  @Post(':id/calibrations')
  @Roles('admin', 'qa')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Record a calibration',
    description: 'A FAIL disqualifies the equipment from its performedAt until a later calibration passes.',
  })
  @ApiCreatedResponse({ type: CalibrationViewDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Invalid fields, or nextDueAt not after performedAt'],
    [ErrorCode.NOT_FOUND, 'No such equipment'],
  )
  calibrate(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: RecordCalibrationDto,
  ): Promise<CalibrationViewDto> {
    return this.equipment.calibrate(user, id, dto);
  }

  @Get()
  @Roles('admin', 'qa', 'technician')
  @ApiOperation({
    summary: 'Equipment, newest registered first, with calibration history and `qualified` now',
  })
  @ApiOkResponse({ type: EquipmentPageDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  list(@Query() query: ListEquipmentQuery): Promise<Page<EquipmentViewDto>> {
    return this.equipment.list(query);
  }

  @Get(':id')
  @Roles('admin', 'qa', 'technician')
  @ApiOperation({ summary: 'A piece of equipment with its calibration history and `qualified` now' })
  @ApiOkResponse({ type: EquipmentViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, 'No such equipment'])
  get(@UuidParam() id: string): Promise<EquipmentViewDto> {
    return this.equipment.get(id);
  }
}
