/**
 * The resolved-caller cache of this process, kept true across API replicas.
 *
 * Every request authenticates, and the labeling hot path sends a stream of them, so callers are
 * cached (PrincipalCache, 5 s) rather than looked up in Postgres each time. A revocation (logout,
 * a revoked session or API token, a disabled user) is written to Postgres first and then published
 * on a Redis channel; every replica, this one included, drops the user's cached entries when the
 * notice arrives, so the next request goes to Postgres and is refused. That costs nothing per
 * request, unlike a Redis or Postgres check on every call. The notice reaches the other replicas in
 * the time Redis takes to deliver it (well under a millisecond on a LAN), before the revoking request
 * has even answered. A notice sent while a replica's subscription is down would be lost, so a replica
 * caches nothing while it is not subscribed and empties its cache when it subscribes again.
 */
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AuthRedis } from './auth-redis';
import type { AuthUser } from './decorators';
import { PrincipalCache } from './principal-cache';

@Injectable()
export class Revocations implements OnModuleInit {
  private readonly logger = new Logger('Revocations');
  private readonly principals = new PrincipalCache();
  private readonly channel: string;
  /** Whether notices are arriving: only then may a cached caller be trusted. */
  private subscribed = false;
  /**
   * Counts notices. A caller read from Postgres just before a revocation landed must not be cached
   * after the notice has cleared the cache: `set` takes the epoch read before the lookup.
   */
  private epoch = 0;

  constructor(private readonly redis: AuthRedis) {
    this.channel = `${redis.prefix}:revoked`;
    redis.subscriber.on('message', (channel: string, userId: string) => {
      if (channel !== this.channel) return;
      this.epoch++;
      this.principals.forgetUser(userId);
    });
    redis.subscriber.on('close', () => {
      this.subscribed = false;
      this.epoch++;
      this.principals.clear();
    });
    // ioredis resubscribes by itself after a reconnect; the cache is trusted again once it has.
    redis.subscriber.on('ready', () => void this.subscribe());
  }

  async onModuleInit(): Promise<void> {
    await this.subscribe();
  }

  private async subscribe(): Promise<void> {
    try {
      await this.redis.subscriber.subscribe(this.channel);
      this.principals.clear();
      this.subscribed = true;
    } catch (error) {
      this.logger.warn(`not subscribed to revocations, caching no callers: ${(error as Error).message}`);
    }
  }

  get(credential: string): AuthUser | undefined {
    return this.subscribed ? this.principals.get(credential) : undefined;
  }

  /** The epoch to hand to `set` for a caller about to be looked up. */
  currentEpoch(): number {
    return this.epoch;
  }

  set(credential: string, user: AuthUser, epoch: number, notAfter?: number): void {
    if (this.subscribed && epoch === this.epoch) this.principals.set(credential, user, notAfter);
  }

  /**
   * Call after the change is in Postgres. Drops the user's cached credentials here at once and on
   * every other replica as the notice arrives. Should Redis refuse the notice, other replicas still
   * stop serving the cached entries within the cache's 5 s.
   */
  async revokedFor(userId: string): Promise<void> {
    this.epoch++;
    this.principals.forgetUser(userId);
    try {
      await this.redis.client.publish(this.channel, userId);
    } catch (error) {
      this.logger.error(`could not publish the revocation for user ${userId}: ${(error as Error).message}`);
    }
  }
}
