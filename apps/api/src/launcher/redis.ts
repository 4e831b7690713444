/**
 * The Redis of `npm start` when no REDIS_URL is given: `redis-server` from the PATH, with
 * persistence on (append-only file in <data-dir>/redis), so queued jobs survive a restart.
 * Postgres stays the source of truth either way: the workers reconcile queues on boot. It requires
 * a password (generated once, <data-dir>/redis-password, mode 0600), handed to redis-server on its
 * standard input so that it never shows in the process list. A redis-server that exits is started
 * again (processes.ts), on the same port with the same data and password.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { type Supervised, supervise } from './processes';
import { persistentSecret, SECRET_FILES } from './secrets';

export interface ManagedRedis {
  readonly url: string;
  /** redis-server under supervision: restarted (same port, data and password) whenever it exits. */
  readonly process: Supervised;
}

export function findRedisServer(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

export async function startRedis(dataDir: string, port: number, log: (line: string) => void): Promise<ManagedRedis> {
  const binary = findRedisServer();
  if (!binary) {
    throw new Error(
      'no REDIS_URL is set and redis-server is not on the PATH: install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL=redis://host:6379',
    );
  }
  const dir = path.resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const password = persistentSecret(dataDir, SECRET_FILES.redis);
  const url = `redis://:${password}@127.0.0.1:${port}`;
  const supervised = supervise('redis-server', () => spawnRedis(binary, dir, port, password, url, log), { log });
  await supervised.started;
  return { url, process: supervised };
}

/** Starts redis-server and resolves once it answers PING with the password; rejects if it exits first. */
async function spawnRedis(
  binary: string,
  dir: string,
  port: number,
  password: string,
  url: string,
  log: (line: string) => void,
): Promise<ChildProcess> {
  // `-`: read the configuration from stdin first (the password), then the options that follow.
  const child: ChildProcess = spawn(
    binary,
    ['-', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '60 1'],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  child.stdin!.on('error', () => undefined); // a redis-server that exits at once is reported below
  child.stdin!.end(`requirepass ${password}\n`);
  child.stderr?.on('data', (chunk: Buffer) => log(`redis: ${chunk.toString().trim()}`));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`redis-server exited with code ${child.exitCode ?? child.signalCode} (port ${port} taken?)`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // refused until redis-server listens: expected while polling
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return child;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error('redis-server did not answer within 15 s');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
