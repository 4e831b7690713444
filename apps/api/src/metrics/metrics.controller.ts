import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/decorators';
import { MetricsService } from './metrics.service';

/**
 * Prometheus text format. Public because scrapers usually cannot authenticate: it exposes counts
 * and latencies only (no campaign names or ids); in production keep it off the public ingress
 * (allow /metrics from the monitoring network only).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Public()
  @Get()
  async scrape(@Res() res: Response): Promise<void> {
    const body = await this.metrics.registry.metrics();
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  }
}
