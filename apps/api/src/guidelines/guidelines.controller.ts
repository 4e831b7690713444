import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { guidelinesAckSchema } from '@borda/api-contract';
import { createZodDto } from 'nestjs-zod';
import { type AuthUser, CurrentUser } from '../auth/decorators';
import { GuidelinesService } from './guidelines.service';

class AckDto extends createZodDto(guidelinesAckSchema) {}

/** The campaign's guidelines with their version, and the labeler's acknowledgement of a version. */
@ApiTags('labeling')
@ApiBearerAuth()
@Controller('campaigns/:id/guidelines')
export class GuidelinesController {
  constructor(private readonly guidelines: GuidelinesService) {}

  @Get()
  view(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.guidelines.view(user, id);
  }

  /** `{version}`: the version read. 409 CONFLICT (details.version: the current one) when it changed meanwhile. */
  @Post('ack')
  @HttpCode(200)
  ack(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: AckDto) {
    return this.guidelines.acknowledge(user, id, body.version);
  }
}
