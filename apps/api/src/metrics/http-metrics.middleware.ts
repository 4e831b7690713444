import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Times every request and counts it when the response finishes. A middleware (not an interceptor)
 * so requests refused by the auth guard are counted too. The label is the route template
 * (/campaigns/:id/policy), never the raw URL, to keep the number of series bounded; requests that
 * match no route share the label "unmatched".
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    // Nest mounts this middleware as a catch-all route, so req.route is that route until a
    // controller route matches; a request that matches none still has it at the end.
    const own: unknown = req.route;
    res.once('finish', () => {
      const matched = req.route !== own ? (req.route as { path?: unknown } | undefined) : undefined;
      const route = matched?.path;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.observe(req.method, typeof route === 'string' ? route : 'unmatched', res.statusCode, seconds);
    });
    next();
  }
}
