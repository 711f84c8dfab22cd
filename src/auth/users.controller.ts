import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { Page, PageQuery } from '../common/pagination/pagination';
import { AuthUser } from '../common/transaction/auth-user';
import { UuidParam } from '../common/validation/validation';
import { CurrentUser } from './current-user.decorator';
import { CreateUserDto } from './dto/create-user.dto';
import { UnlockUserDto } from './dto/unlock-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserPageDto, UserViewDto } from './dto/user-view.dto';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { Roles } from './roles.decorator';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Create a user; a doctor belongs to a clinic, CPC staff to none' })
  @ApiCreatedResponse({ type: UserViewDto, description: 'The user, never the password or its hash' })
  @ApiErrors(
    [
      ErrorCode.VALIDATION_FAILED,
      'Invalid or unknown fields, password under 12 characters, clinicId missing for a doctor or given for another role',
    ],
    [ErrorCode.NOT_FOUND, 'clinicId names no clinic'],
    [ErrorCode.DUPLICATE, 'The email is taken, compared case-insensitively'],
  )
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateUserDto): Promise<UserViewDto> {
    return this.users.create(actor, dto);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'All users, newest first; users are never deleted, only deactivated' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'Bad limit or cursor'])
  list(@Query() query: PageQuery): Promise<Page<UserViewDto>> {
    return this.users.list(query);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Change name, role, clinic or active',
    description:
      "Deactivation (`active: false`) stops the user's tokens at once; their records stay. The doctor/clinic rule must " +
      'hold after the change (send `clinicId: null` when a doctor becomes CPC staff). The last active administrator ' +
      'cannot be deactivated or demoted, not even by themselves: 409 INVALID_TRANSITION.',
  })
  @ApiOkResponse({ type: UserViewDto })
  @ApiErrors(
    [
      ErrorCode.VALIDATION_FAILED,
      'id not a UUID, invalid or unknown fields, or the result breaks the doctor/clinic rule',
    ],
    [ErrorCode.NOT_FOUND, 'No such user, or clinicId names no clinic'],
    [ErrorCode.INVALID_TRANSITION, 'The change would leave no active administrator'],
  )
  update(
    @CurrentUser() actor: AuthUser,
    @UuidParam() id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserViewDto> {
    return this.users.update(actor, id, dto);
  }

  @Post(':id/unlock')
  @Roles('admin')
  @HttpCode(200)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Lift a user's sign-in lock-out, for every source",
    description:
      'Ends every lock of the account and wipes its counted failures; the tokens issued until now are revoked ' +
      '(the owner signs in afresh). Audited with the reason.',
  })
  @ApiOkResponse({ type: UserViewDto })
  @ApiErrors(
    [ErrorCode.VALIDATION_FAILED, 'id not a UUID, reason missing or blank, unknown fields'],
    [ErrorCode.NOT_FOUND, 'No such user'],
  )
  unlock(
    @CurrentUser() actor: AuthUser,
    @UuidParam() id: string,
    @Body() dto: UnlockUserDto,
  ): Promise<UserViewDto> {
    return this.users.unlock(actor, id, dto.reason);
  }
}
