import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Role } from '../common/transaction/actor';
import { ErrorResponseDto } from '../common/http/error-response.dto';

export const ROLES_KEY = 'cpc:roles';
export const PUBLIC_KEY = 'cpc:public';

/**
 * The roles that may call a route. Every route declares its roles or {@link Public}; the guard refuses a
 * route that declares neither (deny by default), and a test walks every route to prove none is missing.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      description: 'No, invalid or expired token, or a deactivated user (UNAUTHENTICATED)',
      type: ErrorResponseDto,
    }),
    ApiForbiddenResponse({ description: `Only ${roles.join(', ')} (FORBIDDEN)`, type: ErrorResponseDto }),
  );

/** Every signed-in role. */
export const AnyRole = (): MethodDecorator & ClassDecorator => Roles('admin', 'qa', 'technician', 'doctor');

/**
 * A signed-in user's own account (who am I, change my password): every role, the `monitor` service account
 * too, so a monitoring system can check and rotate its own credential; monitors reach nothing else but posting
 * readings (docs/environment.md).
 */
export const OwnAccount = (): MethodDecorator & ClassDecorator =>
  Roles('admin', 'qa', 'technician', 'doctor', 'monitor');

/** Reachable without a token (login, health, metrics, docs). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
