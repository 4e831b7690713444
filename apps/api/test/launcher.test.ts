/**
 * `npm start` from nothing: no DATABASE_URL and no REDIS_URL, so the launcher must bring up an
 * embedded PostgreSQL and a redis-server, migrate, create the first admin, run the API and a worker,
 * serve the built labeler app, seed the demo campaign, stop cleanly, and find its data again on the next start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launcherPorts } from './support/launcher-process';

const ROOT = path.resolve(__dirname, '../../..');
const LAUNCHER = path.join(ROOT, 'apps/api/dist/launcher/main.js');

interface Launch {
  child: ChildProcess;
  output: () => string;
  ready: Promise<void>;
}

function launch(args: string[]): Launch {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawn(process.execPath, [LAUNCHER, ...args], { env: { ...env, LOG_LEVEL: 'warn' } });
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

describe('npm start (the launcher)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'borda-start-'));
  let running: ChildProcess | undefined;
  afterAll(async () => {
    if (running) await stop(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts everything from nothing, seeds the demo, stops, and keeps its data', { timeout: 240_000 }, async () => {
    expect(existsSync(LAUNCHER), 'apps/api/dist is missing: npm test builds it first').toBe(true);
    const { port, postgresPort, redisPort } = await launcherPorts();
    const args = ['--data-dir', dataDir, '--port', String(port), '--postgres-port', String(postgresPort)];
    args.push('--redis-port', String(redisPort), '--demo');

    const first = launch(args);
    running = first.child;
    await first.ready;
    const base = `http://127.0.0.1:${port}`;
    expect(first.output()).toContain(`API            ${base}`);
    // The generated password is in a 0600 file of the data directory, not in the log.
    expect(first.output()).toContain('first admin');
    const handOver = readFileSync(path.join(dataDir, 'first-admin.txt'), 'utf8');
    const credentials = /^email: (\S+)\npassword: (\S+)$/m.exec(handOver);
    expect(credentials, handOver).not.toBeNull();
    expect(first.output()).not.toContain(credentials![2]);

    // The labeler app is served at / (npm test builds it), and its client routes get the app shell.
    expect(first.output()).toContain(`labeler app    ${base}/`);
    for (const page of ['/', '/label', '/console/campaigns/new']) {
      const shell = await fetch(base + page, { headers: { accept: 'text/html' } });
      expect(shell.status, page).toBe(200);
      expect(await shell.text(), page).toContain('<div id="root"></div>');
    }

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    // The one worker probes on the port after the API's.
    const workerHealth = await fetch(`http://127.0.0.1:${port + 1}/health`);
    expect(workerHealth.status).toBe(200);
    expect(first.output()).toContain(`(health and metrics: ${port + 1}, ${port + 2})`);
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: credentials![1], password: credentials![2] }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const campaigns = (await (
      await fetch(`${base}/campaigns`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).json()) as { name: string; status: string }[] | { items: { name: string; status: string }[] };
    const list = Array.isArray(campaigns) ? campaigns : campaigns.items;
    expect(list.map((c) => [c.name, c.status])).toEqual([['Demo: helpful answers', 'active']]);

    expect(await stop(first.child)).toBe(0);
    running = undefined;

    // Second start on the same data: no new admin, the demo campaign is found, not duplicated.
    const second = launch([...args]);
    running = second.child;
    await second.ready;
    expect(second.output()).not.toContain('first admin');
    expect(second.output()).toContain('existing accounts kept');
    const again = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: credentials![1], password: credentials![2] }),
    });
    expect(again.status).toBe(200);
    expect(await stop(second.child)).toBe(0);
    running = undefined;
  });
});
