import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { AnyRole } from '../auth/roles.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { CustodyService } from './custody.service';
import { CustodyDto } from './dto/custody-view.dto';

const DESCRIPTION =
  'Oldest first: collection, receipt, every culture step, release, formulation or freezing, every move, ' +
  'dispatch, clinic receipt, thaw, administration, and scans checked on their own or failed at a hand-off. ' +
  "scanVerified says whether a hand-off's item was scanned (null where nothing changed hands).";

@ApiTags('labels')
@Controller()
export class CustodyController {
  constructor(private readonly custody: CustodyService) {}

  @Get('doses/:id/custody')
  @AnyRole()
  @ApiOperation({
    summary: "A dose's chain of custody from harvest to administration",
    description: DESCRIPTION,
  })
  @ApiOkResponse({ type: CustodyDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, "No such dose, or another clinic's"])
  dose(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<CustodyDto> {
    return this.custody.ofDose(user, id);
  }

  @Get('vials/:id/custody')
  @AnyRole()
  @ApiOperation({
    summary: "A vial's chain of custody from harvest to thaw or discard",
    description: DESCRIPTION,
  })
  @ApiOkResponse({ type: CustodyDto })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, [ErrorCode.NOT_FOUND, "No such vial, or another clinic's"])
  vial(@CurrentUser() user: AuthUser, @UuidParam() id: string): Promise<CustodyDto> {
    return this.custody.ofVial(user, id);
  }
}
