/**
 * The global guard: every route needs a bearer credential unless marked @Public(), and the
 * caller's role must be one the route's @Roles(...) lists (admin passes every role check).
 * Campaign-level access (owner, assigned labeler) is checked by CampaignAccessService.
 */
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@borda/api-contract';
import type { Request } from 'express';
import { AppError } from '../errors/app-error';
import { AuthService } from './auth.service';
import { type AuthUser, IS_PUBLIC, ROLES } from './decorators';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new AppError('UNAUTHENTICATED', 'send an Authorization: Bearer <session or API token> header');
    request.user = await this.auth.authenticate(match[1]);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && request.user.role !== 'admin' && !roles.includes(request.user.role)) {
      throw AppError.forbidden(`this route needs the role ${roles.join(' or ')}; you are ${request.user.role}`);
    }
    return true;
  }
}
