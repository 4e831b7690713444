/**
 * Boots the real service for a test file: its own database (cloned from the migrated template),
 * its own BullMQ prefix on the machine's Redis, the HTTP app on a free port and, when asked, the
 * worker process's module in the same process. Nothing is mocked.
 */
import { randomBytes } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import type { Role } from '@borda/api-contract';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { inject } from 'vitest';
import { AuthService } from '../../src/auth/auth.service';
import { createHttpApp, createWorkerApp } from '../../src/bootstrap';
import { type AppConfig, loadConfig } from '../../src/config/env';
import { ADMIN_URL } from './global-setup';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  password: string;
  /** An API token of the user (bearer credential). */
  token: string;
}

export interface TestAppOptions {
  /** Also run the worker module (processors, reconciliation) in this process. */
  workers?: boolean;
  /** Environment overrides (strings, as in process.env). */
  env?: Record<string, string>;
  /** Changes the app's DATABASE_URL (its own cloned database), e.g. to go through a proxy. */
  rewriteDatabaseUrl?: (url: URL) => void;
}

export class TestApp {
  private workerApp?: INestApplicationContext;
  private userCount = 0;

  constructor(
    readonly http: INestApplication,
    readonly config: AppConfig,
    readonly url: string,
    /** Direct access for assertions (what really is in the database). */
    readonly db: Pool,
    readonly redis: Redis,
    private readonly databaseName: string,
  ) {}

  get workers(): INestApplicationContext | undefined {
    return this.workerApp;
  }

  async startWorkers(): Promise<INestApplicationContext> {
    this.workerApp ??= await createWorkerApp(this.config);
    return this.workerApp;
  }

  async stopWorkers(): Promise<void> {
    await this.workerApp?.close();
    this.workerApp = undefined;
  }

  /** Sends a request; `body` objects go as JSON, strings/Buffers as they are (with `contentType`). */
  async request<T = any>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: RequestInit['body'];
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) {
      body = options.body as string;
      headers['content-type'] = options.contentType ?? 'application/x-ndjson';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const response = await fetch(this.url + path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('application/json') && text) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, headers: response.headers, text };
  }

  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, { token });
  }

  post<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>('POST', path, { token, body });
  }

  patch<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>('PATCH', path, { token, body });
  }

  delete<T = any>(path: string, token?: string) {
    return this.request<T>('DELETE', path, { token });
  }

  /** Creates a user with an API token (argon2 hashing makes this ~50 ms). */
  async createUser(role: Role, name?: string): Promise<TestUser> {
    const auth = this.http.get(AuthService);
    const n = ++this.userCount;
    const email = `${name ?? role}-${n}-${randomBytes(3).toString('hex')}@test.borda`;
    const password = `password-${n}-${randomBytes(4).toString('hex')}`;
    const user = await auth.createUser({ email, name: name ?? `${role} ${n}`, role, password });
    const { token } = await auth.createToken(user.id, 'test');
    return { id: user.id, email, role, password, token };
  }

  /** Deletes every Redis key of this app's queues: what a `FLUSHALL` would do to this service. */
  async flushRedis(): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.config.queuePrefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await this.redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  async close(): Promise<void> {
    await this.stopWorkers();
    await this.http.close();
    await this.flushRedis();
    this.redis.disconnect();
    await this.db.end();
    const admin = new Pool({ connectionString: ADMIN_URL, max: 1 });
    // Pools close their sockets asynchronously: wait for them before forcing anything out.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${this.databaseName}"${attempt >= 20 ? ' WITH (FORCE)' : ''}`);
        break;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await admin.end();
  }
}

/** Polls `check` until it returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function withErrorHandler(pool: Pool): Pool {
  pool.on('error', () => undefined); // a connection closed by the server while idle is not a test failure
  return pool;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const suffix = randomBytes(5).toString('hex');
  const databaseName = `borda_t_${suffix}`;
  const admin = new Pool({ connectionString: ADMIN_URL, max: 1 });
  await admin.query(`CREATE DATABASE "${databaseName}" TEMPLATE "${inject('templateDatabase')}"`);
  await admin.end();
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${databaseName}`;
  options.rewriteDatabaseUrl?.(databaseUrl);
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    QUEUE_PREFIX: `t_${suffix}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    ...options.env,
  });
  const http = await createHttpApp(config);
  await http.listen(0, '127.0.0.1');
  const address = http.getHttpServer().address() as { port: number };
  const app = new TestApp(
    http,
    config,
    `http://127.0.0.1:${address.port}`,
    withErrorHandler(new Pool({ connectionString: config.databaseUrl, max: 4 })),
    new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
    databaseName,
  );
  if (options.workers) await app.startWorkers();
  return app;
}
