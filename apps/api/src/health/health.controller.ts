/**
 * GET /health for load balancers and orchestrators: public, cheap (SELECT 1 and a Redis PING, each
 * bounded by a timeout so a hung dependency answers 503 instead of hanging the probe). The public
 * answer is only `{status}`: a failed check's message names hosts, ports and driver internals,
 * which anonymous callers must not see. GET /health/details (admins) has the checks with messages.
 */
import { Controller, Get, Inject, Logger, type OnModuleDestroy, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Redis } from 'ioredis';
import { Public, Roles } from '../auth/decorators';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { AppError } from '../errors/app-error';
import { redisConnection } from '../jobs/jobs.module';
import { HealthRepository } from './health.repository';

export interface HealthCheck {
  status: 'ok' | 'down';
  latencyMs: number;
  error?: string;
}

const CHECK_TIMEOUT_MS = 2000;

export async function timed(check: () => Promise<unknown>): Promise<HealthCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'ok', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController implements OnModuleDestroy {
  /**
   * A connection of its own (same Redis as the queues): BullMQ's clients expose no PING, and this
   * one fails fast (one retry per command) where the queue connections wait for Redis forever.
   */
  private readonly redis: Redis;
  private readonly logger = new Logger('Health');
  /** The failed checks of the last probe, so that the log gets a line when this changes, not per probe. */
  private lastDown = '';

  constructor(
    private readonly database: HealthRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = new Redis({ ...redisConnection(config.redisUrl), maxRetriesPerRequest: 1, lazyConnect: true });
    this.redis.on('error', () => undefined); // reported by the check, not as an unhandled event
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  private async check() {
    const [database, redis] = await Promise.all([timed(() => this.database.ping()), timed(() => this.redis.ping())]);
    const checks = { database, redis };
    const down = Object.entries(checks)
      .filter(([, c]) => c.status !== 'ok')
      .map(([name]) => name);
    // Admins cannot sign in while the database is down, so operators find the reason in the log.
    const now = down.map((name) => `${name}: ${checks[name as keyof typeof checks].error}`).join('; ');
    if (now !== this.lastDown) {
      if (now) this.logger.warn(`unhealthy: ${now}`);
      else this.logger.log(`healthy again (was: ${this.lastDown})`);
      this.lastDown = now;
    }
    return { checks, down };
  }

  /** Liveness for anyone: 200 `{status: 'ok'}` or 503 `{status: 'degraded'}`, nothing else. */
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ok' | 'degraded' }> {
    const { down } = await this.check();
    res.setHeader('Cache-Control', 'no-store');
    if (down.length > 0) {
      res.status(503);
      return { status: 'degraded' };
    }
    return { status: 'ok' };
  }

  /** Each check with its latency and, when down, the driver's message (may name hosts): admins only. */
  @Roles('admin')
  @ApiBearerAuth()
  @Get('details')
  async details() {
    const { checks, down } = await this.check();
    if (down.length > 0) throw new AppError('SERVICE_UNAVAILABLE', `unhealthy: ${down.join(', ')}`, checks);
    return { status: 'ok', checks };
  }
}
