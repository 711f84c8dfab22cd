import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthUser } from '../common/transaction/auth-user';

/** The signed-in user the guard attached to the request. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const request = context.switchToHttp().getRequest<{ user?: AuthUser }>();
  if (!request.user) throw new Error('CurrentUser used on a route without authentication');
  return request.user;
});
