/**
 * Recognises errors that mean a dependency is away rather than that the request or the code is
 * wrong: the database refused or dropped the connection, or Redis is not connected. The API answers
 * those with 503 SERVICE_UNAVAILABLE and Retry-After, so that clients (the labeler app's retry
 * queue, load balancers) wait and retry instead of treating a restart as a bug.
 *
 * Matched by error codes where the drivers give them: SQLSTATE classes 08 (connection exception)
 * and 57P (operator intervention: shutdown, cannot connect now), Node's socket errors, Prisma's
 * P1001/P1002/P1017 and its pool timeout P2024. ioredis has no codes for a closed connection, so
 * its two fixed messages are matched as well.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const REDIS_MESSAGES = [/enableOfflineQueue options is false/, /max retries per request/i, /Connection is closed/];
const DATABASE_MESSAGES = [
  /Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Can't reach database server/,
];

export type Dependency = 'database' | 'queue';

/** The dependency whose absence caused `error` (looking through `cause` chains), or null. */
export function dependencyOutage(error: unknown): Dependency | null {
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (typeof code === 'string') {
      if (/^08/.test(code) || /^57P0[1-3]$/.test(code) || PRISMA_CODES.has(code)) return 'database';
      if (SOCKET_CODES.has(code)) return /redis/i.test(String(name)) || /redis/i.test(text) ? 'queue' : 'database';
    }
    if (name === 'PrismaClientInitializationError') return 'database';
    if (REDIS_MESSAGES.some((m) => m.test(text))) return 'queue';
    if (DATABASE_MESSAGES.some((m) => m.test(text))) return 'database';
  }
  return null;
}
