import { Body, Controller, Delete, Get, HttpCode, Ip, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createTokenSchema, createUserSchema, loginSchema, ROLES, type Role } from '@borda/api-contract';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { AppError } from '../errors/app-error';
import { AuthService } from './auth.service';
import { type AuthUser, CurrentUser, Public, Roles } from './decorators';
import { SessionsService } from './sessions.service';

class LoginDto extends createZodDto(loginSchema) {}
class CreateUserDto extends createZodDto(createUserSchema) {}
class CreateTokenDto extends createZodDto(createTokenSchema) {}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  /** `ip` is the socket's address, or X-Forwarded-For's from a proxy TRUST_PROXY names. */
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Ip() ip: string, @Res({ passthrough: true }) res: Response) {
    try {
      return await this.auth.login(body.email, body.password, ip || 'unknown');
    } catch (error) {
      if (error instanceof AppError && error.code === 'RATE_LIMITED') {
        res.setHeader('Retry-After', String((error.details as { retryAfterSeconds: number }).retryAfterSeconds));
      }
      throw error;
    }
  }

  @ApiBearerAuth()
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser) {
    await this.sessions.logout(user);
  }

  @ApiBearerAuth()
  @Get('sessions')
  listSessions(@CurrentUser() user: AuthUser) {
    return this.sessions.list(user);
  }

  /** Signs the caller out everywhere. */
  @ApiBearerAuth()
  @Delete('sessions')
  revokeAllSessions(@CurrentUser() user: AuthUser) {
    return this.sessions.revokeAll(user, user.id);
  }

  /** One of the caller's sessions; an admin may revoke anyone's. */
  @ApiBearerAuth()
  @Delete('sessions/:id')
  @HttpCode(204)
  async revokeSession(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    await this.sessions.revoke(user, id);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return { id: user.id, email: user.email, name: user.name, role: user.role };
  }

  @ApiBearerAuth()
  @Post('tokens')
  createToken(@CurrentUser() user: AuthUser, @Body() body: CreateTokenDto) {
    return this.auth.createToken(user.id, body.name, body.expiresInDays);
  }

  @ApiBearerAuth()
  @Get('tokens')
  listTokens(@CurrentUser() user: AuthUser) {
    return this.auth.listTokens(user.id);
  }

  @ApiBearerAuth()
  @Delete('tokens/:id')
  @HttpCode(204)
  async revokeToken(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    await this.auth.revokeToken(user.id, id);
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Roles('admin')
  @Post()
  create(@Body() body: CreateUserDto) {
    return this.auth.createUser(body);
  }

  /** Researchers list users to assign labelers to their campaigns. */
  @Roles('researcher')
  @Get()
  list(@Query('role') role?: string) {
    if (role !== undefined && !(ROLES as readonly string[]).includes(role)) {
      throw new AppError('VALIDATION_FAILED', `role must be one of ${ROLES.join(', ')}`, { field: 'role' });
    }
    return this.auth.listUsers(role as Role | undefined);
  }

  /** Refuses the user's sessions and API tokens on every replica from the next request on. */
  @Roles('admin')
  @Post(':id/disable')
  @HttpCode(200)
  disable(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.sessions.setDisabled(user, id, true);
  }

  @Roles('admin')
  @Post(':id/enable')
  @HttpCode(200)
  enable(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.sessions.setDisabled(user, id, false);
  }

  /** Signs the user out everywhere. */
  @Roles('admin')
  @Delete(':id/sessions')
  revokeSessions(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.sessions.revokeAll(user, id);
  }
}
