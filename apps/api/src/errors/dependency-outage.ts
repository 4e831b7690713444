/**
 * Recognises errors that mean a dependency is away rather than that the request or the code is
 * wrong: the database refused or dropped the connection, or Redis is not connected. The API answers
 * those with 503 SERVICE_UNAVAILABLE and Retry-After, so that clients (the labeler app's retry
 * queue, load balancers) wait and retry instead of treating a restart as a bug.
 *
 * Matched by error codes where the drivers give them: SQLSTATE classes 08 (connection exception)
 * and 57P (operator intervention: shutdown, cannot connect now), Node's socket errors, Prisma's
 * P1001/P1002/P1017 and its pool timeout P2024, and the SQLSTATE inside Prisma's driver adapter errors
 * (a raw query during a restart fails as P2010 with 57P03 inside). ioredis has no codes for a closed connection, so
 * its two fixed messages are matched as well.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const ADAPTER_KINDS = new Set(['ConnectionClosed', 'DatabaseNotReachable', 'SocketTimeout', 'TlsConnectionError']);
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const REDIS_MESSAGES = [/enableOfflineQueue options is false/, /max retries per request/i, /Connection is closed/];
const DATABASE_MESSAGES = [
  /Connection terminated/,
  // pg, on a pooled client whose connection broke (PostgreSQL restarted under it): no code.
  /Client has encountered a connection error and is not queryable/,
  // Prisma, on an interactive transaction whose connection broke mid-way (it keeps no code for the cause).
  /Transaction not found\. Transaction ID is invalid/,
  // Prisma, when the connection breaks while an interactive transaction starts (BEGIN never answered).
  /Unknown transaction status/,
  /timeout exceeded when trying to connect/,
  /Can't reach database server/,
];

export type Dependency = 'database' | 'queue';

/**
 * The errors `error` wraps: `cause`, and a Prisma error's driver adapter error (a failed raw query is
 * P2010 with the SQLSTATE in `meta.driverAdapterError.cause.originalCode`).
 */
function wrapped(error: object): unknown[] {
  const { cause, meta } = error as { cause?: unknown; meta?: { driverAdapterError?: unknown } };
  return [cause, meta && typeof meta === 'object' ? meta.driverAdapterError : undefined];
}

/** The dependency whose absence caused `error` (looking through `cause` chains), or null. */
export function dependencyOutage(error: unknown): Dependency | null {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const e = pending.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    pending.push(...wrapped(e));
    const { name, message } = e as { name?: unknown; message?: unknown };
    // pg's errors carry `code`; Prisma's driver adapter keeps PostgreSQL's as `originalCode`.
    const code = (e as { code?: unknown }).code ?? (e as { originalCode?: unknown }).originalCode;
    const text = typeof message === 'string' ? message : '';
    if (typeof code === 'string') {
      if (/^08/.test(code) || /^57P0[1-3]$/.test(code) || PRISMA_CODES.has(code)) return 'database';
      if (SOCKET_CODES.has(code)) return /redis/i.test(String(name)) || /redis/i.test(text) ? 'queue' : 'database';
    }
    if (name === 'PrismaClientInitializationError') return 'database';
    // The driver adapter's own kinds (a raw query reports them inside P2010, without a SQLSTATE).
    if (typeof (e as { kind?: unknown }).kind === 'string' && ADAPTER_KINDS.has((e as { kind: string }).kind))
      return 'database';
    if (REDIS_MESSAGES.some((m) => m.test(text))) return 'queue';
    if (DATABASE_MESSAGES.some((m) => m.test(text))) return 'database';
  }
  return null;
}
