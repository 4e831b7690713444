import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { inviteRequestSchema } from '@borda/api-contract';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { AccountsService } from './accounts.service';
import { type AuthUser, CurrentUser, Roles } from './decorators';

class InviteDto extends createZodDto(inviteRequestSchema) {}

/** Admin account administration: password resets and bulk invitations (see AccountsService). */
@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** Sets a generated password (answered once) and revokes the user's sessions; audit-logged. */
  @Post(':id/password')
  @HttpCode(200)
  resetPassword(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.accounts.resetPassword(user, id);
  }

  /**
   * `{csv}` of `email,role[,name]` lines. `?dryRun=true` answers 200 with the rows it would create;
   * otherwise 201 with each account and its generated password. Any problem: 422 IMPORT_INVALID with
   * every line's (`details.issues`), and nothing is created.
   */
  @Post('invitations')
  async invite(
    @CurrentUser() user: AuthUser,
    @Body() body: InviteDto,
    @Query('dryRun') dryRun: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const dry = dryRun === 'true' || dryRun === '1';
    const result = await this.accounts.invite(user, body.csv, dry);
    res.status(dry ? 200 : 201);
    return result;
  }
}
