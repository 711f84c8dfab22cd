import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { Role } from '../common/transaction/actor';
import { AuthUser } from '../common/transaction/auth-user';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { UsersRepository } from './users.repository';

export interface AccessTokenClaims {
  sub: string;
  /** When it was issued, in milliseconds (the standard `iat` has whole seconds only). */
  iatMs?: number;
  iat?: number;
}

/** Issued before the user's tokens were revoked (password change, unlock, logout)? */
export function isRevoked(claims: AccessTokenClaims, tokensValidAfter: Date | null): boolean {
  if (!tokensValidAfter) return false;
  const issuedMs = typeof claims.iatMs === 'number' ? claims.iatMs : (claims.iat ?? 0) * 1000;
  return issuedMs <= tokensValidAfter.getTime();
}

/**
 * Authentication (401) then role (403), before validation and lookups, for every route. The user is read
 * from the database on each request, so deactivating someone, or revoking their tokens, stops them at once
 * in every process.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UsersRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    const user = await this.authenticate(request.headers.authorization);
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    // Deny by default: a route that forgot to declare its roles is closed, not open.
    if (!roles || !roles.includes(user.role)) {
      throw new DomainError(ErrorCode.FORBIDDEN, `The ${user.role} role may not do this`);
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<AuthUser> {
    const token = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw unauthenticated('A bearer token is required');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
    } catch {
      throw unauthenticated('The token is invalid or expired');
    }
    const user =
      typeof claims.sub === 'string' && /^[0-9a-f-]{36}$/i.test(claims.sub)
        ? await this.users.findById(claims.sub)
        : null;
    if (!user || !user.active || isRevoked(claims, user.tokensValidAfter))
      throw unauthenticated('The token is invalid, revoked or the user is deactivated');
    return { id: user.id, email: user.email, name: user.name, role: user.role, clinicId: user.clinicId };
  }
}

function unauthenticated(message: string): DomainError {
  return new DomainError(ErrorCode.UNAUTHENTICATED, message);
}
