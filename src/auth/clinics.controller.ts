import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { Page, PageQuery } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { ClinicsService } from './clinics.service';
import { CurrentUser } from './current-user.decorator';
import { ClinicPageDto, ClinicViewDto } from './dto/clinic-view.dto';
import { CreateClinicDto } from './dto/create-clinic.dto';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Roles } from './roles.decorator';

@ApiTags('clinics')
@Controller('clinics')
export class ClinicsController {
  constructor(private readonly clinics: ClinicsService) {}

  @Post()
  @Roles('admin')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Register a clinic whose doctors use the system' })
  @ApiCreatedResponse({ type: ClinicViewDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Code not 2..16 of [A-Z0-9-], blank name, unknown fields'],
    [ErrorCode.DUPLICATE, 'The code is taken'],
  )
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateClinicDto): Promise<ClinicViewDto> {
    return this.clinics.create(actor, dto);
  }

  @Get()
  @Roles('admin', 'qa', 'technician')
  @ApiOperation({ summary: 'All clinics, newest first' })
  @ApiOkResponse({ type: ClinicPageDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'Bad limit or cursor'])
  list(@Query() query: PageQuery): Promise<Page<ClinicViewDto>> {
    return this.clinics.list(query);
  }
}
