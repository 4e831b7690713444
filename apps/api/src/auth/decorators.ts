import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@borda/api-contract';

/** The caller, as the auth guard resolved it. */
export interface AuthUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  /** 'jwt' for a session, 'token' for an API token. */
  readonly via: 'jwt' | 'token';
  /** The session (JWT jti) the request came with; absent for API tokens. */
  readonly sessionId?: string;
}

export const IS_PUBLIC = 'borda:public';
export const ROLES = 'borda:roles';

/** The route needs no authentication (login, health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The roles allowed on the route; without it any signed-in role is. Admin passes every check. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
