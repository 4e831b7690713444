/**
 * Issue 12, item 5: the launcher's secrets. On a fresh data directory `npm start` generates the
 * embedded PostgreSQL password and a Redis password, stores them (and the JWT key) in files only
 * their owner can read, starts Redis so that it refuses unauthenticated clients, and hands the
 * first admin's password over in a 0600 file, never in the log. A data directory from before
 * (PostgreSQL's password the constant `borda`, no password file) still starts, and the constant
 * stops working.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { launcherPorts } from './support/launcher-process';
import { handOverFirstAdmin } from '../src/launcher/admin';

const ROOT = path.resolve(__dirname, '../../..');
const LAUNCHER = path.join(ROOT, 'apps/api/dist/launcher/main.js');
const SECRET_FILES = ['jwt-secret', 'postgres-password', 'redis-password', 'first-admin.txt'];

function launch(args: string[]): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info' };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET', 'BORDA_ADMIN_PASSWORD']) delete env[name];
  const child = spawn(process.execPath, [LAUNCHER, ...args], { env });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('[borda] ready')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the launcher exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, output: () => output, ready };
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/** One inline command over a plain socket, as any local process could send it; the first reply line. */
function rawRedis(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.split('\r\n')[0]);
      }
    });
    socket.on('error', reject);
  });
}

async function pgConnects(port: number, password: string): Promise<boolean> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'borda' });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return false; // password authentication failed
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('launcher secrets', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'borda-secrets-'));
  let running: ChildProcess | undefined;
  afterAll(async () => {
    if (running) await stop(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'generates 0600 secrets, locks Redis, keeps the admin password out of the log, and rotates an old fixed password',
    { timeout: 240_000 },
    async () => {
      expect(existsSync(LAUNCHER), 'apps/api/dist is missing: run npm run build').toBe(true);
      const { port, postgresPort, redisPort } = await launcherPorts();
      const args = ['--data-dir', dataDir, '--port', String(port), '--postgres-port', String(postgresPort)];
      args.push('--redis-port', String(redisPort));

      const first = launch(args);
      running = first.child;
      await first.ready;

      for (const name of SECRET_FILES) {
        const file = path.join(dataDir, name);
        expect(existsSync(file), name).toBe(true);
        expect((statSync(file).mode & 0o777).toString(8), name).toBe('600');
      }
      const pgPassword = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
      const redisPassword = readFileSync(path.join(dataDir, 'redis-password'), 'utf8').trim();
      expect(pgPassword).toMatch(/^[0-9a-f]{64}$/);
      expect(redisPassword).toMatch(/^[0-9a-f]{64}$/);

      // The first admin: the file has the password, the log only the file's place.
      const handOver = readFileSync(path.join(dataDir, 'first-admin.txt'), 'utf8');
      const [, email, adminPassword] = /^email: (\S+)\npassword: (\S+)$/m.exec(handOver) ?? [];
      expect(adminPassword, handOver).toBeTruthy();
      expect(first.output()).toContain(path.join(dataDir, 'first-admin.txt'));
      for (const secret of [adminPassword, pgPassword, redisPassword]) expect(first.output()).not.toContain(secret);
      const login = await fetch(`http://127.0.0.1:${port}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: adminPassword }),
      });
      expect(login.status).toBe(200);

      // Redis refuses commands without the password, and the password is not on its command line.
      expect(await rawRedis(redisPort, 'GET bull:anything')).toMatch(/^-NOAUTH/);
      const authed = new Redis({ host: '127.0.0.1', port: redisPort, password: redisPassword, lazyConnect: true });
      await authed.connect();
      expect(await authed.ping()).toBe('PONG');
      authed.disconnect();
      const commandLines = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
      expect(commandLines).not.toContain(redisPassword);

      // PostgreSQL: the generated password works, the old constant does not.
      expect(await pgConnects(postgresPort, pgPassword)).toBe(true);
      expect(await pgConnects(postgresPort, 'borda')).toBe(false);

      // Make the directory look like one from before: password `borda`, no password file.
      const superuser = new Client({ host: '127.0.0.1', port: postgresPort, user: 'postgres', password: pgPassword });
      await superuser.connect();
      await superuser.query(`ALTER USER postgres WITH PASSWORD 'borda'`);
      await superuser.end();
      expect(await stop(first.child)).toBe(0);
      running = undefined;
      unlinkSync(path.join(dataDir, 'postgres-password'));

      const second = launch(args);
      running = second.child;
      await second.ready;
      expect(second.output()).toContain('existing accounts kept');
      expect(second.output()).toContain('replaced the embedded PostgreSQL');
      const rotated = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
      expect(rotated).toMatch(/^[0-9a-f]{64}$/);
      expect((statSync(path.join(dataDir, 'postgres-password')).mode & 0o777).toString(8)).toBe('600');
      expect(await pgConnects(postgresPort, rotated)).toBe(true);
      expect(await pgConnects(postgresPort, 'borda')).toBe(false);
      // The same Redis password across restarts (queued jobs and clients keep working).
      expect(readFileSync(path.join(dataDir, 'redis-password'), 'utf8').trim()).toBe(redisPassword);
      const again = await fetch(`http://127.0.0.1:${port}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: adminPassword }),
      });
      expect(again.status).toBe(200);
      expect(second.output()).not.toContain(adminPassword);
      expect(await stop(second.child)).toBe(0);
      running = undefined;
    },
  );
});

describe('handing over the first admin password', () => {
  const admin = { email: 'admin@borda.local', password: 'generated-7f3a9c' };

  it.each([true, false])('writes a 0600 file and logs only its place (terminal: %s)', (isTTY) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'borda-handover-'));
    try {
      const logged: string[] = [];
      const shown: string[] = [];
      const file = handOverFirstAdmin(dataDir, admin, (line) => logged.push(line), {
        isTTY,
        write: (text: string) => shown.push(text),
      });
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
      expect(readFileSync(file, 'utf8')).toContain(`password: ${admin.password}\n`);
      expect(logged.join('\n')).toContain(file);
      expect(logged.join('\n')).not.toContain(admin.password);
      // Shown once on a terminal; never written to a stdout that is a pipe (a log collector).
      expect(shown.filter((text) => text.includes(admin.password))).toHaveLength(isTTY ? 1 : 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
