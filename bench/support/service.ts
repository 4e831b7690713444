/**
 * Runs the built service (apps/api/dist) as real child processes against a fresh database, for the
 * API benchmarks: the same processes `npm start` runs, measured from outside.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { hashPassword } from '../../apps/api/src/auth/credentials';
import { waitForHttp } from '../../apps/api/src/launcher/processes';
import { workerRoles } from '../../apps/api/src/launcher/worker-roles';
import { Client, Pool } from 'pg';
import { applyMigrations } from '../../apps/api/test/support/migrations';

const ROOT = path.resolve(__dirname, '../..');
export const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RunningService {
  readonly url: string;
  readonly databaseUrl: string;
  readonly queuePrefix: string;
  /** The service's JWT secret, so benchmarks can sign many sessions without a login (argon2) each. */
  readonly jwtSecret: string;
  /** Process ids of the API and worker children (to read their memory from /proc). */
  readonly pids: { readonly api: number; readonly workers: readonly number[] };
  /** A pool on the service's database, for seeding and for baselines that skip the API. */
  readonly db: Pool;
  /** Creates a user straight in the database and returns an API token for it via the API. */
  createUser(role: 'admin' | 'researcher' | 'labeler'): Promise<{ id: string; token: string }>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A fresh database; `migrate`: apply the migrations here (the launcher applies its own with prisma). */
async function createDatabase(name: string, migrate: boolean): Promise<string> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  if (migrate) await applyMigrations(db);
  await db.end();
  return url.toString();
}

export async function startService(
  options: {
    workers?: number;
    selectionWorkers?: number;
    /**
     * More than 1: run the `npm start` launcher (apps/api/dist/launcher/main.js) on this database and Redis
     * with `--api-replicas N` behind its one port, and `workers` + `selectionWorkers` worker processes.
     */
    apiReplicas?: number;
    env?: Record<string, string>;
  } = {},
): Promise<RunningService> {
  const suffix = randomBytes(4).toString('hex');
  const databaseName = `borda_bench_${suffix}`;
  const databaseUrl = await createDatabase(databaseName, (options.apiReplicas ?? 1) <= 1);
  const port = await freePort();
  const queuePrefix = `bench_${suffix}`;
  const jwtSecret = options.env?.JWT_SECRET ?? randomBytes(24).toString('hex');
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    PORT: String(port),
    JWT_SECRET: jwtSecret,
    QUEUE_PREFIX: queuePrefix,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const children: ChildProcess[] = [];
  const launch = (entry: string, extra: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'apps/api/dist', entry)], {
      env: { ...env, ...extra },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const workerPids: number[] = [];
  let api: ChildProcess;
  if ((options.apiReplicas ?? 1) > 1) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'borda-bench-'));
    api = spawn(
      process.execPath,
      [
        path.join(ROOT, 'apps/api/dist/launcher/main.js'),
        ...['--port', String(port), '--api-replicas', String(options.apiReplicas)],
        ...['--workers', String(Math.max(1, options.workers ?? 1))],
        ...['--selection-workers', String(options.selectionWorkers ?? 0), '--data-dir', dataDir],
      ],
      {
        env: { ...env, BORDA_ADMIN_PASSWORD: randomBytes(12).toString('hex') },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    children.push(api);
  } else {
    api = launch('main.js');
    // The processes npm start would run: selection apart from the fits unless selectionWorkers is 0.
    for (const role of workerRoles(options.workers ?? 0, options.workers ? (options.selectionWorkers ?? 0) : 0)) {
      workerPids.push(launch('worker.js', { WORKER_JOBS: role.jobs.join(',') }).pid ?? -1);
    }
  }
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health`, 120_000, () => api.exitCode === null);
  const db = new Pool({ connectionString: databaseUrl, max: 20 });
  // An idle connection dropped by the server must not crash the benchmark with an unhandled 'error'.
  db.on('error', (error) => console.error(`bench pool: ${error.message}`));
  return {
    url,
    databaseUrl,
    queuePrefix,
    jwtSecret,
    pids: { api: api.pid ?? -1, workers: workerPids },
    db,
    async createUser(role) {
      const password = randomBytes(12).toString('hex');
      const email = `${role}-${randomBytes(4).toString('hex')}@bench.borda`;
      const { rows } = await db.query<{ id: string }>(
        'INSERT INTO users (id, email, name, role, password_hash) VALUES (gen_random_uuid(), $1, $2, $3, $4) RETURNING id',
        [email, email, role, await hashPassword(password)],
      );
      const login = await fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
      const { accessToken } = (await login.json()) as { accessToken: string };
      return { id: rows[0].id, token: accessToken };
    },
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
            }),
        ),
      );
      await db.end();
      const admin = new Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      await admin.end();
    },
  };
}
