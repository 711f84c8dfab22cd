import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/http/error-response.dto';
import { AuthUser } from '../common/transaction/auth-user';
import { AuthService } from './auth.service';
import { sourceOfAddress } from './domain/auth-source';
import { CurrentUser } from './current-user.decorator';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto, LoginResponseDto } from './dto/login.dto';
import { UserViewDto } from './dto/user-view.dto';
import { ApiIdempotencyKey } from '../common/http/api-idempotency-key.decorator';
import { OwnAccount, Public } from './roles.decorator';
import { UsersService } from './users.service';

const LOCKED = {
  description:
    'The account is locked after 5 failed logins or signatures within 15 minutes, for 15 minutes (RATE_LIMITED)',
  type: ErrorResponseDto,
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password; returns a bearer token valid for JWT_TTL',
    description: 'Ignores Idempotency-Key. A failed login counts toward the account lock-out.',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiBadRequestResponse({
    description: 'Missing or malformed fields (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiUnauthorizedResponse({
    description:
      'Unknown email, wrong password or deactivated user, all with the same answer (UNAUTHENTICATED)',
    type: ErrorResponseDto,
  })
  @ApiTooManyRequestsResponse({
    ...LOCKED,
    description: `${LOCKED.description}; also with the right password`,
  })
  login(@Body() dto: LoginDto, @Req() request: FastifyRequest): Promise<LoginResponseDto> {
    return this.auth.login(dto.email, dto.password, sourceOfAddress(request.ip));
  }

  @Get('me')
  @OwnAccount()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserViewDto })
  me(@CurrentUser() user: AuthUser): Promise<UserViewDto> {
    return this.users.view(user.id);
  }

  @Post('password')
  @OwnAccount()
  @HttpCode(204)
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Change your own password',
    description:
      'The current password is re-authentication: wrong, it counts as a failed signature. Issued tokens stay valid.',
  })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiBadRequestResponse({
    description:
      'newPassword shorter than 12 characters or equal to the current one, unknown fields (VALIDATION_FAILED)',
    type: ErrorResponseDto,
  })
  @ApiUnprocessableEntityResponse({
    description: 'The current password is wrong (SIGNATURE_INVALID)',
    type: ErrorResponseDto,
  })
  @ApiTooManyRequestsResponse(LOCKED)
  async changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<void> {
    await this.auth.changePassword(user, dto.currentPassword, dto.newPassword);
  }
}
