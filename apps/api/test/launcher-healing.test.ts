/**
 * Issue 11, item 5: the launcher heals. Started for real on a temp data directory with two API
 * replicas, it must keep the port answering while one replica is killed and bring it back, and
 * bring back a killed worker, redis-server and PostgreSQL postmaster, each within 10 s, with the
 * API healthy again; SIGTERM then stops everything in order and leaves nothing running.
 * The backoff itself is checked on a child that always fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restartDelay, supervise } from '../src/launcher/processes';

const ROOT = path.resolve(__dirname, '../../..');
const LAUNCHER = path.join(ROOT, 'apps/api/dist/launcher/main.js');
const BACK_WITHIN_MS = 10_000;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** GET on a connection of its own (no keep-alive pool that could hold a socket of a killed replica). */
function get(url: string, timeoutMs = 3000): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function until<T>(what: string, withinMs: number, probe: () => Promise<T | undefined> | T | undefined) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('restart backoff', () => {
  it('doubles from 0.5 s to at most 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 12].map((n) => restartDelay(n))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
  });

  it('logs a crash loop with the exit code and the next delay, and restarts nothing once stopped', async () => {
    const lines: string[] = [];
    let starts = 0;
    const child = supervise(
      'failing',
      () => {
        starts++;
        return spawn(process.execPath, ['-e', 'setTimeout(() => process.exit(3), 20)']);
      },
      { log: (line) => lines.push(line), backoff: { initialMs: 40, maxMs: 160, healthyMs: 60_000 } },
    );
    await child.started;
    await until('four failures', 5000, () => (child.failures() >= 4 ? true : undefined));
    await child.stop();
    const exits = lines.filter((line) => line.includes('exited'));
    expect(exits[0]).toMatch(/^failing exited \(code 3\) after \d+\.\d s; restarting in 40 ms$/);
    expect(exits[1]).toMatch(/restarting in 80 ms \(2 failures in a row\)$/);
    expect(exits[2]).toMatch(/restarting in 160 ms \(3 failures in a row\)$/);
    expect(exits[3]).toMatch(/restarting in 160 ms \(4 failures in a row\)$/);
    const after = starts;
    await new Promise((r) => setTimeout(r, 400));
    expect(starts).toBe(after);
  });
});

describe('the launcher heals', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'borda-heal-'));
  let launcher: ChildProcess | undefined;
  afterAll(async () => {
    if (launcher && launcher.exitCode === null) {
      launcher.kill('SIGTERM');
      await new Promise((r) => launcher!.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'brings back a killed API replica, worker, Redis and PostgreSQL, then stops everything on SIGTERM',
    { timeout: 150_000 },
    async () => {
      expect(existsSync(LAUNCHER), 'apps/api/dist is missing: run npm run build').toBe(true);
      const [port, postgresPort, redisPort] = [await freePort(), await freePort(), await freePort()];
      const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
      for (const name of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'BORDA_ADMIN_PASSWORD', 'WORKER_HEALTH_PORT'])
        delete env[name];
      const args = ['--data-dir', dataDir, '--port', String(port), '--postgres-port', String(postgresPort)];
      args.push('--redis-port', String(redisPort), '--api-replicas', '2');
      const child = spawn(process.execPath, [LAUNCHER, ...args], { env });
      launcher = child;
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await until('ready', 90_000, () => {
        if (child.exitCode !== null) throw new Error(`the launcher exited:\n${output}`);
        return output.includes('[borda] ready') ? true : undefined;
      });

      /** Every pid the launcher reported for `name`, in order. */
      const pids = (name: string) =>
        [...output.matchAll(/\[borda\] (.+?) running \(pid (\d+)\)/g)].filter((m) => m[1] === name).map((m) => +m[2]);
      const current = (name: string) => pids(name).at(-1)!;
      const seen = new Set<number>();
      const names = ['api 1', 'api 2', 'worker 1', 'redis-server', 'postgres'];
      for (const name of names) {
        expect(pids(name), `${name}\n${output}`).toHaveLength(1);
        seen.add(current(name));
      }
      expect(output).toContain('2 processes');
      const base = `http://127.0.0.1:${port}`;
      const workerHealth = `http://127.0.0.1:${port + 1}/health`;

      /** Kills `name`'s process and waits for a new pid of it; returns when that happened (ms after the kill). */
      const killAndAwaitRestart = async (name: string, signal: NodeJS.Signals = 'SIGKILL') => {
        const before = pids(name).length;
        const killedAt = Date.now();
        process.kill(current(name), signal);
        await until(`${name} restarted\n${output}`, BACK_WITHIN_MS, () =>
          pids(name).length > before ? true : undefined,
        );
        seen.add(current(name));
        return killedAt;
      };
      const healthyAgain = (url: string, killedAt: number) =>
        until(`${url} healthy after the kill`, BACK_WITHIN_MS - (Date.now() - killedAt), async () =>
          (await get(url)) === 200 ? true : undefined,
        );

      // One API replica killed: the port keeps answering from the other, and the replica comes back.
      const apiKilledAt = Date.now();
      process.kill(current('api 1'), 'SIGKILL');
      await new Promise((r) => setTimeout(r, 300)); // the launcher sees the exit and stops routing to it
      const statuses = [];
      for (let i = 0; i < 10; i++) statuses.push(await get(`${base}/health`));
      expect(statuses).toEqual(Array(10).fill(200));
      await until(`api 1 restarted\n${output}`, BACK_WITHIN_MS - (Date.now() - apiKilledAt), () =>
        pids('api 1').length > 1 ? true : undefined,
      );
      seen.add(current('api 1'));
      expect(output).toMatch(/api 1 exited \(signal SIGKILL\) after \d+\.\d s; restarting in 500 ms/);

      // A worker: back, and its health port answers again.
      await healthyAgain(workerHealth, await killAndAwaitRestart('worker 1'));

      // redis-server: restarted on its port, and the API is healthy again (it reconnects by itself).
      await healthyAgain(`${base}/health`, await killAndAwaitRestart('redis-server'));

      // PostgreSQL: stopped as pg_ctl stop does (fast shutdown), then killed outright: back both times.
      await healthyAgain(`${base}/health`, await killAndAwaitRestart('postgres', 'SIGINT'));
      await healthyAgain(`${base}/health`, await killAndAwaitRestart('postgres', 'SIGKILL'));
      await healthyAgain(workerHealth, Date.now());

      // SIGTERM: everything stops, API first, then the worker, then Redis and PostgreSQL; nothing restarts.
      const running = names.map(current);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      launcher = undefined;
      const stopped = [...output.matchAll(/\[borda\] (.+?) stopped/g)].map((m) => m[1]);
      expect(stopped.slice(0, 2).sort()).toEqual(['api 1', 'api 2']);
      expect(stopped.slice(2)).toEqual(['worker 1', 'redis-server', 'postgres']);
      expect(output.slice(output.indexOf('[borda] stopping'))).not.toContain('running (pid');
      for (const pid of [...seen, ...running]) expect(isRunning(pid), `pid ${pid}`).toBe(false);
      for (const p of [port, port + 1, postgresPort, redisPort]) expect(await portOpen(p), `port ${p}`).toBe(false);
    },
  );
});
