/**
 * The real `npm start` launcher (apps/api/dist/launcher/main.js) as a child of a test, on a data
 * directory and ports of the test's own: its output, and the pids it reports for each process it
 * supervises (`[borda] <name> running (pid N)`), so a test can kill them and see them come back.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const LAUNCHER = path.resolve(__dirname, '../../dist/launcher/main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** GET on a connection of its own (no keep-alive pool that could hold a socket of a killed replica); 0 when none answered. */
export function get(url: string, timeoutMs = 3000): Promise<number> {
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

/** Polls `probe` until it returns a value other than undefined; throws naming `what` after `withinMs`. */
export async function until<T>(
  what: string | (() => string),
  withinMs: number,
  probe: () => Promise<T | undefined> | T | undefined,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`${typeof what === 'string' ? what : what()}: not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface LauncherPorts {
  port: number;
  postgresPort: number;
  redisPort: number;
}

/** Whether `port` can be listened on at 127.0.0.1 right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The first port the kernel hands out for outgoing connections and `listen(0)` (Linux; 32768 elsewhere). */
function ephemeralFloor(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && low > 12_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/**
 * Ports for a launcher: the API's, the next two for the workers' health ports (the launcher gives worker
 * i the API port + 1 + i: a worker and a selection worker by default), PostgreSQL's and Redis's. All below
 * the ephemeral range: a port `listen(0)` found free is an ephemeral one, and by the time the launcher
 * binds it (seconds later, after migrations) another test's outgoing connection may hold it (a CI run's
 * worker died with EADDRINUSE on the API port + 1).
 */
export async function launcherPorts(): Promise<LauncherPorts> {
  const high = ephemeralFloor() - 3;
  const taken = new Set<number>();
  const pick = async (width: number) => {
    for (;;) {
      const port = 10_000 + Math.floor(Math.random() * (high - 10_000));
      const range = Array.from({ length: width }, (_, k) => port + k);
      if (range.some((p) => taken.has(p))) continue;
      if ((await Promise.all(range.map(canListen))).every(Boolean)) {
        range.forEach((p) => taken.add(p));
        return port;
      }
    }
  };
  return { port: await pick(3), postgresPort: await pick(1), redisPort: await pick(1) };
}

export class LauncherProcess {
  private text = '';
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(dataDir: string, ports: LauncherPorts, extraArgs: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...extraEnv };
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'BORDA_ADMIN_PASSWORD', 'WORKER_HEALTH_PORT'])
      delete env[name];
    const args = ['--data-dir', dataDir, '--port', String(ports.port)];
    args.push('--postgres-port', String(ports.postgresPort), '--redis-port', String(ports.redisPort), ...extraArgs);
    this.child = spawn(process.execPath, [LAUNCHER, ...args], { env });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.text += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  output(): string {
    return this.text;
  }

  ready(withinMs = 90_000): Promise<true> {
    return until('the launcher ready', withinMs, () => {
      if (this.child.exitCode !== null) throw new Error(`the launcher exited:\n${this.text}`);
      return this.text.includes('[borda] ready') ? true : undefined;
    });
  }

  /** Every pid the launcher reported for `name` ('api 1', 'worker 1', 'redis-server', 'postgres'), in order. */
  pids(name: string): number[] {
    return [...this.text.matchAll(/\[borda\] (.+?) running \(pid (\d+)\)/g)]
      .filter((m) => m[1] === name)
      .map((m) => Number(m[2]));
  }

  current(name: string): number {
    const pid = this.pids(name).at(-1);
    if (pid === undefined) throw new Error(`no pid for ${name}:\n${this.text}`);
    return pid;
  }

  /** Sends `signal` to `name`'s process and waits until the launcher reports a new one; returns how long that took. */
  async kill(name: string, signal: NodeJS.Signals, withinMs: number): Promise<number> {
    const before = this.pids(name).length;
    const killedAt = Date.now();
    process.kill(this.current(name), signal);
    await until(
      () => `${name} restarted after ${signal}\n${this.text}`,
      withinMs,
      () => (this.pids(name).length > before ? true : undefined),
      50,
    );
    return Date.now() - killedAt;
  }

  /** SIGTERM, and the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
