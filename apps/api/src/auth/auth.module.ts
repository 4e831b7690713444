import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ApiTokensRepository } from './api-tokens.repository';
import { AuthController, UsersController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { UsersRepository } from './users.repository';

@Global()
@Module({
  imports: [JwtModule.register({})],
  controllers: [AuthController, UsersController],
  providers: [AuthService, UsersRepository, ApiTokensRepository, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, UsersRepository],
})
export class AuthModule {}
