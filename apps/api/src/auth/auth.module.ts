import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { ApiTokensRepository } from './api-tokens.repository';
import { AuthController, UsersController } from './auth.controller';
import { AuthRedis } from './auth-redis';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { Revocations } from './revocations';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { UsersRepository } from './users.repository';

@Global()
@Module({
  imports: [JwtModule.register({})],
  controllers: [AuthController, UsersController, AccountsController],
  providers: [
    AuthService,
    SessionsService,
    AccountsService,
    UsersRepository,
    ApiTokensRepository,
    SessionsRepository,
    AuthRedis,
    LoginThrottle,
    Revocations,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, UsersRepository],
})
export class AuthModule {}
