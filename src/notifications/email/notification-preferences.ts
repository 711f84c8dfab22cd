import { Body, Controller, Get, Injectable, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../auth/current-user.decorator';
import { AnyRole } from '../../auth/roles.decorator';
import { ErrorCode } from '../../common/errors/error-code';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { actorOf, AuthUser } from '../../common/transaction/auth-user';
import { Transactions } from '../../common/transaction/transactions.service';
import { FlagTypeListField } from '../dto/flag-type-list.field';
import { EmailRepository } from './email.repository';

export class NotificationPreferencesDto {
  @FlagTypeListField({
    allowAll: false,
    minItems: 0,
    example: ['READY_FOR_INJECTION', 'DOSE_EXPIRING'],
    description:
      "The flag types to be e-mailed about; only flags the user may see are sent (a doctor: their own clinic's), and only when SMTP_URL is set",
  })
  email!: string[];
}

export class NotificationPreferencesViewDto {
  @ApiProperty({ type: [String], example: ['READY_FOR_INJECTION'] })
  email!: string[];
}

/** Per-user e-mail opt-in by flag type (docs/notifications.md, "E-mail"). */
@Injectable()
export class NotificationPreferencesService {
  constructor(
    private readonly email: EmailRepository,
    private readonly transactions: Transactions,
  ) {}

  async get(user: AuthUser): Promise<NotificationPreferencesViewDto> {
    return { email: await this.email.preferencesOf(user.id) };
  }

  async put(user: AuthUser, dto: NotificationPreferencesDto): Promise<NotificationPreferencesViewDto> {
    return this.transactions.run(actorOf(user), async (tx) => {
      const before = await this.email.preferencesOf(user.id);
      await this.email.savePreferences(user.id, dto.email, tx.now, tx.manager);
      tx.audit({
        action: 'user.notifications_changed',
        entityType: 'user',
        entityId: user.id,
        before: { email: before },
        after: { email: dto.email },
      });
      return { email: dto.email };
    });
  }
}

@ApiTags('notifications')
@Controller('users/me/notifications')
@AnyRole()
export class NotificationPreferencesController {
  constructor(private readonly preferences: NotificationPreferencesService) {}

  @Get()
  @ApiOperation({ summary: 'The flag types the signed-in user is e-mailed about' })
  @ApiOkResponse({ type: NotificationPreferencesViewDto })
  get(@CurrentUser() user: AuthUser): Promise<NotificationPreferencesViewDto> {
    return this.preferences.get(user);
  }

  @Put()
  @ApiOperation({ summary: 'Choose the flag types to be e-mailed about (replaces the list)' })
  @ApiOkResponse({ type: NotificationPreferencesViewDto })
  @ApiErrors([ErrorCode.VALIDATION_FAILED, 'email is not a list of distinct flag types'])
  put(
    @CurrentUser() user: AuthUser,
    @Body() dto: NotificationPreferencesDto,
  ): Promise<NotificationPreferencesViewDto> {
    return this.preferences.put(user, dto);
  }
}
