/**
 * The worker process's own small HTTP port (WORKER_HEALTH_PORT): GET /health answers 200
 * `{status: 'ok'}` or 503 `{status: 'degraded'}` from a Postgres SELECT 1 and a Redis PING (bounded
 * by a timeout, no internals in the body, as the API's public /health), and GET /metrics serves
 * WorkerMetrics in the Prometheus text format. Orchestrators probe and scrape every worker this way;
 * without the setting no port is opened.
 *
 * Plain node:http rather than a second Nest HTTP app: two routes, no auth, no body parsing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { timed } from '../health/health.controller';
import { HealthRepository } from '../health/health.repository';
import { redisConnection } from '../jobs/jobs.module';
import { WorkerMetrics } from './worker-metrics';

@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WorkerHealth');
  private server?: Server;
  private redis?: Redis;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly database: HealthRepository,
    private readonly metrics: WorkerMetrics,
  ) {}

  /** The port it listens on (null when WORKER_HEALTH_PORT is unset). */
  get port(): number | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.workerHealthPort === undefined) return;
    // A connection of its own that fails fast: the queue connections wait for Redis forever.
    this.redis = new Redis({ ...redisConnection(this.config.redisUrl), maxRetriesPerRequest: 1, lazyConnect: true });
    this.redis.on('error', () => undefined); // reported by the probe
    const server = createServer((req, res) => {
      void this.answer(req.method ?? 'GET', (req.url ?? '/').split('?')[0]).then(
        ({ status, type, body }) => {
          res.writeHead(status, {
            'Content-Type': type,
            'Cache-Control': 'no-store',
            'X-Content-Type-Options': 'nosniff',
          });
          res.end(body);
        },
        () => {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end('{"status":"error"}');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.workerHealthPort, this.config.host, () => resolve());
    });
    this.server = server;
    this.logger.log(`health and metrics on http://${this.config.host}:${this.port} (/health, /metrics)`);
  }

  private async answer(method: string, path: string): Promise<{ status: number; type: string; body: string }> {
    const json = 'application/json; charset=utf-8';
    if (method !== 'GET' && method !== 'HEAD')
      return { status: 405, type: json, body: '{"status":"method not allowed"}' };
    if (path === '/health') {
      const redis = this.redis!;
      const checks = await Promise.all([timed(() => this.database.ping()), timed(() => redis.ping())]);
      const ok = checks.every((c) => c.status === 'ok');
      return { status: ok ? 200 : 503, type: json, body: JSON.stringify({ status: ok ? 'ok' : 'degraded' }) };
    }
    if (path === '/metrics') {
      return { status: 200, type: this.metrics.registry.contentType, body: await this.metrics.registry.metrics() };
    }
    return { status: 404, type: json, body: '{"status":"not found"}' };
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
