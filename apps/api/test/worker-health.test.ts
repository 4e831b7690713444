/**
 * Every worker process can be probed and scraped on a port of its own (WORKER_HEALTH_PORT), and logs
 * are readable on a terminal and JSON elsewhere (LOG_FORMAT).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logFormat } from '../src/logging';
import { WorkerHealthServer } from '../src/workers/worker-health.server';
import { startTestApp, type TestApp, waitFor } from './support/harness';

describe('the worker health and metrics port', () => {
  let app: TestApp | undefined;
  afterAll(() => app?.close());

  it('answers /health and counts the jobs the worker ran on /metrics', async () => {
    app = await startTestApp({ workers: true, env: { WORKER_HEALTH_PORT: '0' } });
    const port = app.workers!.get(WorkerHealthServer).port;
    expect(port).toBeGreaterThan(0);
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);

    const researcher = await app.createUser('researcher');
    const created = await app.post('/campaigns', { name: 'probed', strategy: 'uniform', budget: 10 }, researcher.token);
    expect(created.status, created.text).toBe(201);
    const imported = await app.request('POST', `/campaigns/${created.body.id}/imports`, {
      token: researcher.token,
      body: '{"id":"p1","prompt":"Hi","responses":[{"id":"a","text":"one"},{"id":"b","text":"two"}]}\n',
    });
    expect(imported.status, imported.text).toBe(201);
    // The import queues featurisation, which this worker runs and counts.
    const metrics = await waitFor(
      async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return /borda_worker_jobs_total\{job="[A-Za-z]+",outcome="completed"\} [1-9]/.test(text) ? text : null;
      },
      20_000,
      'a completed job on the worker metrics',
    );
    expect(metrics).toContain('process_resident_memory_bytes');
    expect(metrics).toMatch(/borda_worker_job_duration_seconds_count\{job="[A-Za-z]+"\} [1-9]/);
  });

  it('opens no port without the setting', async () => {
    const plain = await startTestApp({ workers: true });
    try {
      expect(plain.workers!.get(WorkerHealthServer).port).toBeNull();
    } finally {
      await plain.close();
    }
  });
});

describe('log format', () => {
  it('is readable on a terminal and JSON otherwise, unless LOG_FORMAT says which', () => {
    expect(logFormat({ logFormat: 'auto' }, true)).toBe('pretty');
    expect(logFormat({ logFormat: 'auto' }, false)).toBe('json');
    expect(logFormat({ logFormat: 'json' }, true)).toBe('json');
    expect(logFormat({ logFormat: 'pretty' }, false)).toBe('pretty');
  });

  /** Runs the built worker with a configuration it refuses at once, after its logger is up. */
  async function workerOutput(format: string): Promise<string> {
    const worker = path.join(__dirname, '..', 'dist', 'worker.js');
    const child = spawn(process.execPath, [worker], {
      env: {
        PATH: process.env.PATH,
        LOG_FORMAT: format,
        // An address where nothing listens: the worker logs its start, then the database error.
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none',
        REDIS_URL: 'redis://127.0.0.1:1',
        JWT_SECRET: 'x'.repeat(32),
        QUEUE_PREFIX: 'logformat',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    await waitFor(async () => (out.includes('Nest') || out.includes('"msg"') ? true : null), 20_000, 'log output');
    child.kill('SIGKILL');
    return out;
  }

  it('prints pretty lines through pino-pretty when asked, JSON lines otherwise', async () => {
    const json = await workerOutput('json');
    const first = json.split('\n').find((l) => l.startsWith('{'));
    expect(first, json).toBeDefined();
    expect(JSON.parse(first!)).toMatchObject({ process: 'worker' });
    const pretty = await workerOutput('pretty');
    expect(pretty, pretty).toMatch(/INFO/);
    expect(pretty.split('\n').some((l) => l.startsWith('{"level"'))).toBe(false);
  });
});
