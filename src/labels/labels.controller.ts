import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  ParseEnumPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole, Roles } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import {
  CreateLabelRunDto,
  LabelRunListItemDto,
  LabelRunViewDto,
  ListLabelRunsQuery,
  ProductCodeViewDto,
  PutProductCodeDto,
  ScanResultDto,
  VerifyScanDto,
  VoidLabelRunDto,
} from './dto/labels.dto';
import { LabelsService } from './labels.service';
import { PRODUCT_FORMS, ProductForm } from './product-code.entity';

const NO_SUCH_ITEM: [ErrorCode, string] = [ErrorCode.NOT_FOUND, "No such item, or another clinic's"];

@ApiTags('labels')
@Controller()
export class LabelsController {
  constructor(private readonly labels: LabelsService) {}

  @Put('product-codes/:form')
  @Roles('admin')
  @ApiParam({ name: 'form', enum: PRODUCT_FORMS })
  @ApiOperation({
    summary: 'Set the ISBT 128 product code a form of product is labelled with',
    description:
      'Until set, labels carry S0000 and type of donation 0, and say "local product code". Audited.',
  })
  @ApiOkResponse({ type: ProductCodeViewDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  putProductCode(
    @CurrentUser() user: AuthUser,
    @Param('form', new ParseEnumPipe(PRODUCT_FORMS)) form: ProductForm,
    @Body() dto: PutProductCodeDto,
  ): Promise<ProductCodeViewDto> {
    return this.labels.putProductCode(user, form, dto);
  }

  @Post('labels')
  @Roles('technician', 'qa', 'doctor')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Print labels for an item (the first run), or reprint them (any later run, with a reason)',
    description: "A doctor prints only a harvest's labels, of their own clinic. One serial per label.",
  })
  @ApiCreatedResponse({ type: LabelRunViewDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'Invalid body, or a reprint without a reason'],
    [ErrorCode.FORBIDDEN, "A doctor asked for a label other than a harvest's"],
    NO_SUCH_ITEM,
    [ErrorCode.INVALID_TRANSITION, 'The item is DISCARDED, DESTROYED, RECALLED or REJECTED'],
  )
  print(@CurrentUser() user: AuthUser, @Body() dto: CreateLabelRunDto): Promise<LabelRunViewDto> {
    return this.labels.print(user, dto);
  }

  @Get('labels')
  @Roles('technician', 'qa', 'admin')
  @ApiOperation({ summary: "An item's print runs, oldest first" })
  @ApiOkResponse({ type: [LabelRunListItemDto] })
  @ApiErrors(ErrorCode.VALIDATION_FAILED)
  list(@Query() query: ListLabelRunsQuery): Promise<LabelRunListItemDto[]> {
    return this.labels.list(query.subjectId);
  }

  @Get('labels/:id/pdf')
  @Roles('technician', 'qa', 'doctor')
  @Header('Content-Type', 'application/pdf')
  @ApiOperation({
    summary: 'The run as a PDF: one page per label, 2 x 1 inch for vials, 4 x 4 inch otherwise',
  })
  @ApiProduces('application/pdf', 'application/json')
  @ApiOkResponse({
    description: 'The labels',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    [ErrorCode.NOT_FOUND, "No such print run, or its item is another clinic's"],
    [ErrorCode.INVALID_TRANSITION, 'The run was voided'],
  )
  pdf(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<Buffer> {
    return this.labels.pdf(user, id);
  }

  @Get('labels/:id/zpl')
  @Roles('technician', 'qa', 'doctor')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOperation({ summary: 'The same labels in ZPL II for thermal printers (203 dpi)' })
  @ApiProduces('text/plain', 'application/json')
  @ApiOkResponse({
    description: 'One ^XA..^XZ format per label',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    [ErrorCode.NOT_FOUND, "No such print run, or its item is another clinic's"],
    [ErrorCode.INVALID_TRANSITION, 'The run was voided'],
  )
  zpl(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<string> {
    return this.labels.zpl(user, id);
  }

  @Post('labels/:id/void')
  @HttpCode(HttpStatus.OK)
  @Roles('qa')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Void a print run: its serials no longer verify', description: 'Once per run.' })
  @ApiOkResponse({ type: LabelRunListItemDto })
  @ApiErrors(
    ErrorCode.VALIDATION_FAILED,
    [ErrorCode.NOT_FOUND, 'No such print run'],
    [ErrorCode.INVALID_TRANSITION, 'The run was voided already'],
  )
  void(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: VoidLabelRunDto,
  ): Promise<LabelRunListItemDto> {
    return this.labels.void(user, id, dto);
  }

  @Post('scans/verify')
  @HttpCode(HttpStatus.OK)
  @AnyRole()
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Check that a scan names an item; recorded on its custody timeline either way',
    description:
      'match is false, with a reason, for another item, a voided or unknown serial, a DIN with a wrong check ' +
      'character, or anything that is not one of our labels.',
  })
  @ApiOkResponse({ type: ScanResultDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, NO_SUCH_ITEM)
  verify(@CurrentUser() user: AuthUser, @Body() dto: VerifyScanDto): Promise<ScanResultDto> {
    return this.labels.verify(user, dto);
  }
}
