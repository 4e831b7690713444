/**
 * Slows password guessing with rate-limiter-flexible, counted in Redis so that every API replica
 * shares the counts. Three limits, each locking for LOGIN_LOCK_SECONDS once passed:
 *
 * - per account (the email, from any address): LOGIN_MAX_FAILURES_PER_ACCOUNT consecutive failures
 *   lock the account, so rotating addresses (or X-Forwarded-For) buys no extra guesses;
 * - per source (the client address, over all accounts): LOGIN_MAX_FAILURES_PER_SOURCE failures lock
 *   the address, which is what catches one password sprayed over many accounts;
 * - per account and source: the same failure count as the account limit; it is what holds a known
 *   source (below), which the account lock lets through.
 *
 * The trade-off of a per-account lock is that anyone can lock a user out by failing on purpose,
 * and keep them out by doing it again every lock period. So an address the user has signed in
 * from in the last 30 days ("known source") is not held to the account lock, only to the account
 * and source lock: the owner still gets in from their usual place while strangers lock the account
 * for strangers. What remains is an attacker behind the owner's own address (same office NAT), who
 * is held to the per-address limits. A success resets the account's consecutive failures, but not
 * the source's count: a sprayer cannot clear it by signing in to an account of their own.
 *
 * Each attempt takes its points before the password is checked, so a burst of parallel guesses
 * cannot all pass the check before any failure is counted; a success gives the source point back.
 * Should Redis be unreachable, each replica counts in its own memory (the library's insurance
 * limiter) rather than refusing every login.
 */
import { isIPv6 } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { AppError } from '../errors/app-error';
import { AuthRedis } from './auth-redis';

const KNOWN_SOURCE_SECONDS = 30 * 86_400;

export type ThrottleScope = 'account' | 'source';

/**
 * The source a client address counts as: an IPv4 address itself (also when written IPv4-mapped),
 * an IPv6 address its /64. One host usually holds a whole /64, so counting single IPv6 addresses
 * would let it rotate through them.
 */
export function sourceOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  const ip = address.split('%')[0]; // a zone index (fe80::1%eth0) names an interface, not a host
  if (!isIPv6(ip)) return address;
  const [head, tail] = ip.split('::');
  const groups = head ? head.split(':') : [];
  if (tail !== undefined) {
    const rest = tail ? tail.split(':') : [];
    groups.push(...Array<string>(Math.max(0, 8 - groups.length - rest.length)).fill('0'), ...rest);
  }
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('LoginThrottle');
  private readonly account: RateLimiterRedis;
  private readonly source: RateLimiterRedis;
  private readonly pair: RateLimiterRedis;

  constructor(
    private readonly redis: AuthRedis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const { maxFailuresPerAccount, maxFailuresPerSource, lockSeconds } = config.login;
    const limiter = (name: string, points: number) => {
      const options = { keyPrefix: `${redis.prefix}:login:${name}`, points, duration: lockSeconds };
      return new RateLimiterRedis({
        ...options,
        storeClient: redis.client,
        blockDuration: lockSeconds,
        insuranceLimiter: new RateLimiterMemory({ ...options, blockDuration: lockSeconds }),
      });
    };
    this.account = limiter('account', maxFailuresPerAccount);
    this.source = limiter('source', maxFailuresPerSource);
    this.pair = limiter('pair', maxFailuresPerAccount);
  }

  /** Counts a login attempt before its password is checked; throws RATE_LIMITED when locked. */
  async attempt(email: string, address: string): Promise<void> {
    const account = email.toLowerCase();
    const source = sourceOf(address);
    const known = await this.isKnownSource(account, source);
    await this.take(this.source, source, 'source');
    await this.take(this.pair, `${account} ${source}`, 'account');
    if (!known) await this.take(this.account, account, 'account');
  }

  /** The attempt was right: the account's failures start over, and the source is remembered. */
  async succeeded(email: string, address: string): Promise<void> {
    const account = email.toLowerCase();
    const source = sourceOf(address);
    await Promise.all([
      this.account.delete(account),
      this.pair.delete(`${account} ${source}`),
      this.source.reward(source, 1),
      this.redis.client.set(this.knownKey(account, source), '1', 'EX', KNOWN_SOURCE_SECONDS),
    ]).catch((error: Error) => this.logger.warn(`could not record a successful login: ${error.message}`));
  }

  private knownKey(account: string, source: string): string {
    return `${this.redis.prefix}:login:known:${account} ${source}`;
  }

  private async isKnownSource(account: string, source: string): Promise<boolean> {
    try {
      return (await this.redis.client.exists(this.knownKey(account, source))) === 1;
    } catch {
      return false; // Redis away: every source is a stranger, the safe side
    }
  }

  private async take(limiter: RateLimiterRedis, key: string, scope: ThrottleScope): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      const what = scope === 'source' ? 'from this address' : 'for this account';
      throw new AppError('RATE_LIMITED', `too many failed logins ${what}; try again in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
        scope,
      });
    }
  }
}
