/**
 * `npm start`: everything Borda needs on one machine. Uses DATABASE_URL / REDIS_URL when set;
 * otherwise an embedded PostgreSQL and a redis-server from the PATH, both keeping their data in
 * --data-dir. Applies migrations, creates the first admin, runs the API (which also serves the
 * built labeler app) and the workers, and prints where everything is. Every process is supervised
 * (processes.ts): one that dies is started again with backoff, and the launcher stops only on
 * SIGINT/SIGTERM, in order: API replicas, workers, then Redis and PostgreSQL.
 */
import { spawn, spawnSync } from 'node:child_process';
import cluster from 'node:cluster';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/env';
import { ensureFirstAdmin, handOverFirstAdmin } from './admin';
import { seedDemo } from './demo';
import { startEmbeddedPostgres } from './postgres';
import { supervise, type Supervised, waitForHttp } from './processes';
import { startRedis } from './redis';
import { workerRoles } from './worker-roles';
import { persistentSecret, SECRET_FILES } from './secrets';

const ROOT = path.resolve(__dirname, '../../../..');
const DIST = path.resolve(__dirname, '..');
const log = (line: string) => console.log(`[borda] ${line}`);

function integer(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}]`);
    return n;
  };
}

async function main(): Promise<void> {
  const options = new Command('npm start --')
    .description('Start Borda: API, workers and labeler app, with embedded services when none are configured.')
    .option('--port <port>', 'HTTP port of the API and labeler app', integer('--port', 1, 65535), 3000)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option(
      '--workers <n>',
      'worker processes for fits, policies, imports and simulations',
      integer('--workers', 1, 64),
      1,
    )
    .option(
      '--selection-workers <n>',
      'worker processes that only refill buffers (0: the other workers do it too)',
      integer('--selection-workers', 0, 64),
      1,
    )
    .option('--api-replicas <n>', 'API processes sharing the port', integer('--api-replicas', 1, 64), 1)
    .option('--data-dir <dir>', 'where the embedded PostgreSQL and Redis keep their data', '.data')
    .option('--postgres-port <port>', 'port of the embedded PostgreSQL', integer('--postgres-port', 1, 65535), 54329)
    .option('--redis-port <port>', 'port of the managed redis-server', integer('--redis-port', 1, 65535), 63790)
    .option('--demo', 'seed a demo campaign with a labeler account', false)
    .parse(process.argv)
    .opts<{
      port: number;
      host: string;
      workers: number;
      selectionWorkers: number;
      apiReplicas: number;
      dataDir: string;
      postgresPort: number;
      redisPort: number;
      demo: boolean;
    }>();

  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  const supervised: Supervised[] = [];
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log('stopping');
    for (const s of supervised) s.freeze(); // nothing restarts while the rest goes down
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => log(String(e)));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      const db = await startEmbeddedPostgres(dataDir, options.postgresPort, log);
      supervised.push(db.process);
      cleanups.push(db.stop);
      databaseUrl = db.url;
      log(`embedded PostgreSQL on port ${options.postgresPort} (data in ${path.join(dataDir, 'postgres')})`);
    }
    let redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      const redis = await startRedis(dataDir, options.redisPort, log);
      supervised.push(redis.process);
      cleanups.push(() => redis.process.stop());
      redisUrl = redis.url;
      log(`redis-server on port ${options.redisPort} (append-only file in ${path.join(dataDir, 'redis')})`);
    }
    const labelerDist = process.env.LABELER_DIST ?? path.join(ROOT, 'apps/labeler/dist');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      HOST: options.host,
      PORT: String(options.port),
      JWT_SECRET: process.env.JWT_SECRET ?? persistentSecret(dataDir, SECRET_FILES.jwt),
      LABELER_DIST: labelerDist,
    };
    loadConfig(env); // fail here, with every bad variable named, rather than in a child process

    log('applying migrations');
    const migrate = spawnSync(process.execPath, [path.join(ROOT, 'scripts/prisma.mjs'), 'migrate', 'deploy'], {
      env,
      encoding: 'utf8',
    });
    if (migrate.status !== 0) throw new Error(`prisma migrate deploy failed:\n${migrate.stdout}\n${migrate.stderr}`);

    const adminEmail = process.env.BORDA_ADMIN_EMAIL ?? 'admin@borda.local';
    const admin = await ensureFirstAdmin(databaseUrl, adminEmail, process.env.BORDA_ADMIN_PASSWORD);

    // Each worker probes and scrapes on a port of its own, next to the API's (unless the environment names one).
    const workerPort = (i: number) =>
      process.env.WORKER_HEALTH_PORT ?? (options.port === 0 ? '0' : String(options.port + 1 + i));
    // Selection has processes of its own unless asked otherwise: a fit holds its process's event loop
    // for seconds, and a refill queued behind it is labelers told "no comparisons".
    const roles = workerRoles(options.workers, options.selectionWorkers);
    const workers = roles.map((role, i) => {
      const workerEnv = { ...env, WORKER_HEALTH_PORT: workerPort(i), WORKER_JOBS: role.jobs.join(',') };
      const script = path.join(DIST, 'worker.js');
      return supervise(role.name, () => spawn(process.execPath, [script], { env: workerEnv, stdio: 'inherit' }), {
        log,
      });
    });
    // API replicas are cluster workers of this process: they all listen on the one port (the
    // launcher accepts and hands connections round-robin to the replicas that are up), so one
    // dying, or restarting, leaves the port answering. They share nothing but PostgreSQL and Redis.
    cluster.setupPrimary({ exec: path.join(DIST, 'main.js'), args: [], silent: false });
    const api = Array.from({ length: options.apiReplicas }, (_, i) =>
      supervise(`api ${i + 1}`, () => cluster.fork(env).process, { log }),
    );
    supervised.push(...workers, ...api);
    cleanups.push(async () => {
      await Promise.all(workers.map((w) => w.stop()));
    });
    cleanups.push(async () => {
      await Promise.all(api.map((r) => r.stop()));
    });
    const base = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${options.port}`;
    // A replica that keeps failing before the API ever answered is a configuration problem, not a crash.
    await waitForHttp(`${base}/health`, 60_000, () => !shuttingDown && api.every((r) => r.failures() < 3));

    log(
      `API            ${base}  (OpenAPI: ${base}/docs; ${options.apiReplicas} process${options.apiReplicas > 1 ? 'es' : ''})`,
    );
    log(
      existsSync(path.join(labelerDist, 'index.html'))
        ? `labeler app    ${base}/`
        : `labeler app    not built (no ${path.relative(ROOT, labelerDist)}/index.html); the API runs without it`,
    );
    log(
      `workers        ${options.workers} + ${options.selectionWorkers} for selection  (health and metrics: ${roles.map((_, i) => workerPort(i)).join(', ')})`,
    );
    if (admin && process.env.BORDA_ADMIN_PASSWORD)
      log(`first admin    ${admin.email} (password: BORDA_ADMIN_PASSWORD)`);
    else if (admin) handOverFirstAdmin(dataDir, admin, log);
    else log(`admin          existing accounts kept (BORDA_ADMIN_EMAIL=${adminEmail})`);
    if (options.demo) {
      if (!admin && !process.env.BORDA_ADMIN_PASSWORD) {
        log('--demo needs the admin password on a database that already has users: set BORDA_ADMIN_PASSWORD');
      } else {
        const demo = await seedDemo(
          base,
          ROOT,
          admin ?? { email: adminEmail, password: process.env.BORDA_ADMIN_PASSWORD! },
        );
        log(
          `demo campaign  ${demo.created ? 'created' : 'already there'}; labeler ${demo.labeler.email} / ${demo.labeler.password}`,
        );
      }
    }
    log('ready (Ctrl-C stops everything)');
  } catch (error) {
    console.error(`[borda] ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

void main();
