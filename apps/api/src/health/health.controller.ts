/**
 * GET /health for load balancers and orchestrators: public, cheap (SELECT 1 and a Redis PING, each
 * bounded by a timeout so a hung dependency answers 503 instead of hanging the probe).
 */
import { Controller, Get, Inject, type OnModuleDestroy } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Redis } from 'ioredis';
import { Public } from '../auth/decorators';
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

async function timed(check: () => Promise<unknown>): Promise<HealthCheck> {
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

  @Public()
  @Get()
  async health() {
    const [database, redis] = await Promise.all([timed(() => this.database.ping()), timed(() => this.redis.ping())]);
    const checks = { database, redis };
    const down = Object.entries(checks).filter(([, c]) => c.status !== 'ok');
    if (down.length > 0) {
      throw new AppError('SERVICE_UNAVAILABLE', `unhealthy: ${down.map(([name]) => name).join(', ')}`, checks);
    }
    return { status: 'ok', checks };
  }
}
