import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  createWebhookSchema,
  webhookCreatedSchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookListSchema,
} from '@borda/api-contract';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { type AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { WebhooksService } from './webhooks.service';

class CreateWebhookDto extends createZodDto(createWebhookSchema) {}
class DeliveriesQueryDto extends createZodDto(
  z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
) {}
class WebhookCreatedDto extends createZodDto(webhookCreatedSchema) {}
class WebhookListDto extends createZodDto(webhookListSchema) {}
class WebhookDeliveryDto extends createZodDto(webhookDeliverySchema) {}
class WebhookDeliveryListDto extends createZodDto(webhookDeliveryListSchema) {}

/**
 * A campaign's webhooks: its owner (or an admin). Labelers get 403 from the role check; another
 * researcher's campaign is 404, as on every campaign route.
 */
@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('researcher')
@Controller('campaigns/:id/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** The answer holds the signing secret: the only time it is shown. */
  @Post()
  @ApiResponse({ status: 201, type: WebhookCreatedDto.Output })
  create(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: CreateWebhookDto) {
    return this.webhooks.create(user, id, body as never);
  }

  @Get()
  @ApiResponse({ status: 200, type: WebhookListDto.Output })
  list(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.webhooks.list(user, id);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('webhookId') webhookId: string) {
    await this.webhooks.remove(user, id, webhookId);
  }

  /** The delivery log, newest first: each delivery with its attempts. */
  @Get(':webhookId/deliveries')
  @ApiResponse({ status: 200, type: WebhookDeliveryListDto.Output })
  deliveries(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('webhookId') webhookId: string,
    @Query() query: DeliveriesQueryDto,
  ) {
    return this.webhooks.deliveries(user, id, webhookId, query.limit);
  }

  /** Queues a `ping` delivery to the webhook. */
  @Post(':webhookId/test')
  @HttpCode(202)
  @ApiResponse({ status: 202, type: WebhookDeliveryDto.Output })
  test(@CurrentUser() user: AuthUser, @Param('id') id: string, @Param('webhookId') webhookId: string) {
    return this.webhooks.ping(user, id, webhookId);
  }
}
