/**
 * Issue 11, item 5: the launcher heals. Started for real on a temp data directory with two API
 * replicas, it must keep the port answering while one replica is killed and bring it back, and
 * bring back a killed worker, redis-server and PostgreSQL postmaster, each within 10 s, with the
 * API healthy again; SIGTERM then stops everything in order and leaves nothing running.
 * The backoff itself is checked on a child that always fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { restartDelay, supervise } from '../src/launcher/processes';
import { get, isRunning, LAUNCHER, LauncherProcess, launcherPorts, portOpen, until } from './support/launcher-process';

const BACK_WITHIN_MS = 10_000;

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
  let launcher: LauncherProcess | undefined;
  afterAll(async () => {
    await launcher?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'brings back a killed API replica, worker, Redis and PostgreSQL, then stops everything on SIGTERM',
    { timeout: 150_000 },
    async () => {
      expect(existsSync(LAUNCHER), 'apps/api/dist is missing: run npm run build').toBe(true);
      const ports = await launcherPorts();
      const { port, postgresPort, redisPort } = ports;
      launcher = new LauncherProcess(dataDir, ports, ['--api-replicas', '2']);
      const l = launcher;
      await l.ready();

      const seen = new Set<number>();
      const names = ['api 1', 'api 2', 'worker 1', 'redis-server', 'postgres'];
      for (const name of names) {
        expect(l.pids(name), `${name}\n${l.output()}`).toHaveLength(1);
        seen.add(l.current(name));
      }
      expect(l.output()).toContain('2 processes');
      const base = `http://127.0.0.1:${port}`;
      const workerHealth = `http://127.0.0.1:${port + 1}/health`;

      /** Kills `name`, waits for its new pid (within 10 s), then for `url` to answer 200 within 10 s of the kill. */
      const killAndHeal = async (name: string, signal: NodeJS.Signals, url: string) => {
        const killedAt = Date.now();
        await l.kill(name, signal, BACK_WITHIN_MS);
        seen.add(l.current(name));
        await until(`${url} healthy after ${signal} to ${name}`, BACK_WITHIN_MS - (Date.now() - killedAt), async () =>
          (await get(url)) === 200 ? true : undefined,
        );
      };

      // One API replica killed: the port keeps answering from the other, and the replica comes back.
      const apiKilledAt = Date.now();
      process.kill(l.current('api 1'), 'SIGKILL');
      await new Promise((r) => setTimeout(r, 300)); // the launcher sees the exit and stops routing to it
      const statuses = [];
      for (let i = 0; i < 10; i++) statuses.push(await get(`${base}/health`));
      expect(statuses).toEqual(Array(10).fill(200));
      await until(`api 1 restarted\n${l.output()}`, BACK_WITHIN_MS - (Date.now() - apiKilledAt), () =>
        l.pids('api 1').length > 1 ? true : undefined,
      );
      seen.add(l.current('api 1'));
      expect(l.output()).toMatch(/api 1 exited \(signal SIGKILL\) after \d+\.\d s; restarting in 500 ms/);

      // A worker: back, and its health port answers again.
      await killAndHeal('worker 1', 'SIGKILL', workerHealth);
      // redis-server: restarted on its port, and the API is healthy again (it reconnects by itself).
      await killAndHeal('redis-server', 'SIGKILL', `${base}/health`);
      // PostgreSQL: stopped as pg_ctl stop does (fast shutdown), then killed outright: back both times.
      await killAndHeal('postgres', 'SIGINT', `${base}/health`);
      await killAndHeal('postgres', 'SIGKILL', `${base}/health`);
      await until('the worker healthy again', BACK_WITHIN_MS, async () =>
        (await get(workerHealth)) === 200 ? true : undefined,
      );

      // SIGTERM: everything stops, API first, then the workers, then Redis and PostgreSQL; nothing restarts.
      const running = names.map((name) => l.current(name));
      expect(await l.stop()).toBe(0);
      launcher = undefined;
      const output = l.output();
      const stopped = [...output.matchAll(/\[borda\] (.+?) stopped/g)].map((m) => m[1]);
      expect(stopped.slice(0, 2).sort()).toEqual(['api 1', 'api 2']);
      expect(stopped.slice(2, 4).sort()).toEqual(['selection worker 1', 'worker 1']);
      expect(stopped.slice(4)).toEqual(['redis-server', 'postgres']);
      expect(output.slice(output.indexOf('[borda] stopping'))).not.toContain('running (pid');
      for (const pid of [...seen, ...running]) expect(isRunning(pid), `pid ${pid}`).toBe(false);
      for (const p of [port, port + 1, port + 2, postgresPort, redisPort])
        expect(await portOpen(p), `port ${p}`).toBe(false);
    },
  );
});
