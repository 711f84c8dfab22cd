import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { BatchStepsService } from './batch-steps.service';
import { RecordCellCountDto } from './dto/record-cell-count.dto';
import { RecordFinalHarvestDto } from './dto/record-final-harvest.dto';
import { RecordIsolationDto } from './dto/record-isolation.dto';
import { RecordPassageDto } from './dto/record-passage.dto';
import {
  CellCountResultDto,
  FinalHarvestResultDto,
  IsolationResultDto,
  PassageResultDto,
} from './dto/step-results.dto';

const BAD_STEP: [ErrorCode, string] = [
  ErrorCode.VALIDATION_FAILED,
  'Invalid body or id, or a time that contradicts the batch record: before the step it follows or, for a correction, after the step that follows it, details.fields names the field',
];
const NOT_IN_CULTURE: [ErrorCode, string] = [
  ErrorCode.INVALID_TRANSITION,
  'The batch is not IN_CULTURE, or (corrections) is decided or the entry was corrected already',
];
const CORRECTION =
  'A correction names the entry in correctsId with a reason; the old entry stays, superseded.';

@ApiTags('batches')
@Controller('batches/:id')
export class BatchStepsController {
  constructor(private readonly steps: BatchStepsService) {}

  @Post('isolation')
  @Roles('technician')
  @ApiOperation({
    summary: 'Record the isolation (P0): RECEIVED -> IN_CULTURE',
    description: 'cellCount is the number of cells plated.',
  })
  @ApiCreatedResponse({ type: IsolationResultDto })
  @ApiErrors(
    BAD_STEP,
    [ErrorCode.NOT_FOUND, 'No such batch or material lot'],
    [ErrorCode.INVALID_TRANSITION, 'The batch is not RECEIVED'],
    [ErrorCode.LOT_EXPIRED, 'A material lot had expired at performedAt'],
  )
  isolate(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: RecordIsolationDto,
  ): Promise<IsolationResultDto> {
    return this.steps.isolate(user, id, dto);
  }

  @Post('passages')
  @Roles('technician')
  @ApiOperation({
    summary: 'Record a passage, or correct one',
    description: `Population doublings and doubling time are computed, never typed in. ${CORRECTION} A correction repeats the passage number and does not advance the culture; it is allowed until the batch is decided.`,
  })
  @ApiCreatedResponse({ type: PassageResultDto })
  @ApiErrors(
    BAD_STEP,
    [ErrorCode.NOT_FOUND, 'No such batch, corrected passage or material lot'],
    NOT_IN_CULTURE,
    [ErrorCode.PASSAGE_OUT_OF_ORDER, 'Not the next passage number'],
    [ErrorCode.PASSAGE_LIMIT_EXCEEDED, 'Beyond the specification'],
    [ErrorCode.LOT_EXPIRED, 'An expired material lot'],
  )
  recordPassage(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: RecordPassageDto,
  ): Promise<PassageResultDto> {
    return this.steps.recordPassage(user, id, dto);
  }

  @Post('cell-counts')
  @Roles('technician')
  @ApiOperation({
    summary: 'Record an in-passage cell count, or correct one',
    description: `A point on the growth curve; it does not change the passage. ${CORRECTION}`,
  })
  @ApiCreatedResponse({ type: CellCountResultDto })
  @ApiErrors(BAD_STEP, [ErrorCode.NOT_FOUND, 'No such batch or corrected count'], NOT_IN_CULTURE)
  recordCellCount(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: RecordCellCountDto,
  ): Promise<CellCountResultDto> {
    return this.steps.recordCellCount(user, id, dto);
  }

  @Post('final-harvest')
  @Roles('technician')
  @ApiOperation({
    summary: 'Record the final harvest: IN_CULTURE -> CULTURE_COMPLETE, or correct it',
    description: `Sets the viable cells yielded, floor(totalCells * viabilityPct / 100), from which doses and vials draw. ${CORRECTION}`,
  })
  @ApiCreatedResponse({ type: FinalHarvestResultDto })
  @ApiErrors(BAD_STEP, [ErrorCode.NOT_FOUND, 'No such batch or corrected final harvest'], NOT_IN_CULTURE, [
    ErrorCode.INSUFFICIENT_CELLS,
    'A correction would yield fewer viable cells than doses and vials drew',
  ])
  recordFinalHarvest(
    @CurrentUser() user: AuthUser,
    @UuidParam() id: string,
    @Body() dto: RecordFinalHarvestDto,
  ): Promise<FinalHarvestResultDto> {
    return this.steps.recordFinalHarvest(user, id, dto);
  }
}
