/**
 * The auth module's Redis connections, on the same Redis as the queues: `client` for login throttle
 * counters and revocation notices, `subscriber` for receiving them. `client` has no offline queue
 * and fails a command at once while Redis is away, so a login is never held up waiting for Redis
 * (the throttle then counts in process, see login-throttle.ts).
 */
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { redisConnection } from '../jobs/jobs.module';

@Injectable()
export class AuthRedis implements OnModuleDestroy {
  private readonly logger = new Logger('AuthRedis');
  readonly client: Redis;
  readonly subscriber: Redis;
  /** Prefix of every key and channel: the queue prefix, so that services sharing a Redis stay apart. */
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const connection = redisConnection(config.redisUrl);
    this.prefix = `${config.queuePrefix}:auth`;
    this.client = new Redis({ ...connection, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.subscriber = new Redis({ ...connection, maxRetriesPerRequest: null });
    for (const [name, redis] of [
      ['client', this.client],
      ['subscriber', this.subscriber],
    ] as const) {
      // ioredis retries every few seconds while Redis is away: say so once per outage, not per retry.
      let reported = false;
      redis.on('ready', () => (reported = false));
      redis.on('error', (error: Error) => {
        if (!reported) this.logger.warn(`redis ${name}: ${error.message} (retrying)`);
        reported = true;
      });
    }
  }

  onModuleDestroy(): void {
    this.client.disconnect();
    this.subscriber.disconnect();
  }
}
