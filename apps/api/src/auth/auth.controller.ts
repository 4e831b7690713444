import { Body, Controller, Delete, Get, HttpCode, Ip, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { createTokenSchema, createUserSchema, loginSchema, ROLES, type Role } from '@borda/api-contract';
import { createZodDto } from 'nestjs-zod';
import { AppError } from '../errors/app-error';
import { AuthService } from './auth.service';
import { type AuthUser, CurrentUser, Public, Roles } from './decorators';

class LoginDto extends createZodDto(loginSchema) {}
class CreateUserDto extends createZodDto(createUserSchema) {}
class CreateTokenDto extends createZodDto(createTokenSchema) {}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Ip() ip: string) {
    return this.auth.login(body.email, body.password, ip);
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
  constructor(private readonly auth: AuthService) {}

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
}
