/**
 * The environment, validated once at boot into a typed object. Every setting the service reads
 * lives here; nothing else reads process.env.
 */
import express from 'express';
import { z } from 'zod';
import { JOB_NAMES, type JobName } from '../jobs/job-names';

const bytes = z.union([z.number(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `'${v}' is not a size such as 512kb, 1mb or 2gb` });
    return z.NEVER;
  }
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(m[1]) * unit);
});

/**
 * What Express's `trust proxy` accepts: true/false, a hop count, or a comma-separated list of
 * addresses, CIDR ranges and the names loopback, linklocal, uniquelocal. Validated by Express itself.
 */
const trustProxy = z.string().transform((v, ctx): boolean | number | string => {
  const s = v.trim();
  if (s === '' || s === 'false') return false;
  if (s === 'true') return true;
  const value = /^\d+$/.test(s) ? Number(s) : s;
  try {
    express().set('trust proxy', value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `'${v}' is not a trust proxy setting: ${(error as Error).message}` });
    return z.NEVER;
  }
  return value;
});

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgresql:// URL' }),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'REDIS_URL must be a redis:// URL' })
    .default('redis://127.0.0.1:6379'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must have at least 32 characters'),
  JWT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(12 * 3600),
  // A Redis Cluster keeps a queue's keys on one slot only when they share a hash tag, so the prefix
  // may be wrapped in braces: {borda}.
  QUEUE_PREFIX: z
    .string()
    .regex(
      /^(?:[A-Za-z0-9_-]+|\{[A-Za-z0-9_-]+\})$/,
      'QUEUE_PREFIX may hold letters, digits, _ and - only, optionally wrapped in {} as a Redis Cluster hash tag',
    )
    .default('borda'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** auto: readable lines on a terminal, JSON otherwise; json or pretty force one. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  JSON_BODY_LIMIT: bytes.default(1024 * 1024),
  IMPORT_MAX_BYTES: bytes.default(4 * 1024 ** 3),
  IMPORT_MAX_LINE_BYTES: bytes.default(16 * 1024 ** 2),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  MAX_LEASES_PER_LABELER: z.coerce.number().int().min(1).max(20).default(3),
  /** Workers re-check Postgres against the queues this often (0: only at boot). */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Folder of the built labeler app, served at / when set. */
  LABELER_DIST: z.string().optional(),
  /** A worker process serves /health and /metrics on this port (0: any free port); unset: none. */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * The jobs a worker process serves: a comma-separated list of job names, or all when unset. The
   * launcher gives ComparisonSelect processes of its own, so a fit that holds one process's event
   * loop for seconds never delays another campaign's buffer refill.
   */
  WORKER_JOBS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return JOB_NAMES;
      const names = v.split(',').map((n) => n.trim());
      const unknown = names.filter((n) => !(JOB_NAMES as readonly string[]).includes(n));
      if (unknown.length > 0) {
        ctx.addIssue({ code: 'custom', message: `unknown job ${unknown.join(', ')}; known: ${JOB_NAMES.join(', ')}` });
        return z.NEVER;
      }
      return [...new Set(names)] as JobName[];
    }),
  /** Which proxies may set X-Forwarded-For (the client address login throttling keys on). Default: none. */
  TRUST_PROXY: trustProxy.default(false),
  /** Failed logins for one account (from anywhere) before it is locked for LOGIN_LOCK_SECONDS. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  /** Failed logins from one client address (over all accounts: password spraying) before it is locked. */
  LOGIN_MAX_FAILURES_PER_SOURCE: z.coerce.number().int().min(1).default(20),
  LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).default(900),
});

export interface AppConfig {
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly host: string;
  readonly port: number;
  readonly jwtSecret: string;
  readonly jwtTtlSeconds: number;
  readonly queuePrefix: string;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly logFormat: z.infer<typeof envSchema>['LOG_FORMAT'];
  readonly jsonBodyLimit: number;
  readonly importMaxBytes: number;
  readonly importMaxLineBytes: number;
  readonly databasePoolSize: number;
  readonly workerConcurrency: number;
  readonly maxLeasesPerLabeler: number;
  readonly reconcileIntervalMs: number;
  readonly labelerDist?: string;
  readonly workerHealthPort?: number;
  /** The jobs this worker process serves (WORKER_JOBS; all by default). */
  readonly workerJobs: readonly JobName[];
  readonly trustProxy: boolean | number | string;
  readonly login: { maxFailuresPerAccount: number; maxFailuresPerSource: number; lockSeconds: number };
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Parses the environment; throws a ConfigurationError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigurationError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    host: e.HOST,
    port: e.PORT,
    jwtSecret: e.JWT_SECRET,
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    queuePrefix: e.QUEUE_PREFIX,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    jsonBodyLimit: e.JSON_BODY_LIMIT,
    importMaxBytes: e.IMPORT_MAX_BYTES,
    importMaxLineBytes: e.IMPORT_MAX_LINE_BYTES,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    workerConcurrency: e.WORKER_CONCURRENCY,
    maxLeasesPerLabeler: e.MAX_LEASES_PER_LABELER,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
    labelerDist: e.LABELER_DIST,
    workerHealthPort: e.WORKER_HEALTH_PORT,
    workerJobs: e.WORKER_JOBS,
    trustProxy: e.TRUST_PROXY,
    login: {
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerSource: e.LOGIN_MAX_FAILURES_PER_SOURCE,
      lockSeconds: e.LOGIN_LOCK_SECONDS,
    },
  };
}

/** Nest injection token of the AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
