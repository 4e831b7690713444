import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedCampaign, seedJudgments } from './support/readside-fixtures';

/** The value of one sample line of the Prometheus text, 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    const have = inside.split(',');
    if (want.every((w) => have.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe('health and metrics', () => {
  let app: TestApp;
  let researcher: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    researcher = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  it('answers liveness publicly and the checks with latencies to admins only', async () => {
    const open = await app.get('/health');
    expect(open.status).toBe(200);
    expect(open.body).toEqual({ status: 'ok' });
    expect((await app.get('/health/details')).status).toBe(401);
    expect((await app.get('/health/details', researcher.token)).status).toBe(403);
    const admin = await app.createUser('admin');
    const res = await app.get('/health/details', admin.token);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.database).toMatchObject({ status: 'ok', latencyMs: expect.any(Number) });
    expect(res.body.checks.redis).toMatchObject({ status: 'ok', latencyMs: expect.any(Number) });
  });

  it('serves Prometheus text with request, queue, label, job and process metrics', async () => {
    const labeler = await app.createUser('labeler');
    const campaign = await seedCampaign(app, researcher, { prompts: 2 });
    await seedJudgments(app, campaign, [
      { prompt: 0, first: 0, second: 1, labeler, choice: 'A' },
      { prompt: 1, first: 0, second: 1, labeler, choice: 'tie' },
      { prompt: 1, first: 1, second: 2, labeler, choice: 'skip' },
    ]);
    await app.db.query(
      `INSERT INTO job_runs (id, name, job_key, state, payload, started_at, finished_at)
       VALUES (gen_random_uuid(), 'Featurize', 'k1', 'completed', '{}', now() - interval '3 seconds', now())`,
    );
    const res = await app.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    for (const name of [
      'borda_http_requests_total',
      'borda_http_request_duration_seconds_bucket',
      'borda_queue_jobs',
      'borda_labels_stored',
      'borda_jobs_finished_last_hour',
      'borda_job_duration_last_hour_seconds',
      'process_cpu_seconds_total',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(res.text, name).toContain(`\n${name}`);
    }
    expect(sample(res.text, 'borda_labels_stored', { campaign_status: 'active' })).toBe(2);
    expect(sample(res.text, 'borda_queue_jobs', { queue: 'Featurize', state: 'waiting' })).toBe(0);
    expect(sample(res.text, 'borda_jobs_finished_last_hour', { job: 'Featurize', state: 'completed' })).toBe(1);
    const max = sample(res.text, 'borda_job_duration_last_hour_seconds', { job: 'Featurize', stat: 'max' });
    expect(max).toBeCloseTo(3, 1);
  });

  it('counts requests by route template, including refused ones', async () => {
    const route = { method: 'GET', route: '/simulations/:id', status: '404' };
    const before = sample((await app.get('/metrics')).text, 'borda_http_requests_total', route);
    const id = '00000000-0000-4000-8000-000000000000';
    await app.get(`/simulations/${id}`, researcher.token);
    await app.get(`/simulations/${id.replace(/0$/, '1')}`, researcher.token);
    await app.get('/health');
    const unauth = { method: 'GET', route: '/health', status: '200' };
    const after = (await app.get('/metrics')).text;
    expect(sample(after, 'borda_http_requests_total', route)).toBe(before + 2);
    // Raw URLs never become labels.
    expect(after).not.toContain(id);
    expect(sample(after, 'borda_http_requests_total', unauth)).toBeGreaterThanOrEqual(1);
    await app.get('/simulations'); // no credentials: refused by the guard, still counted
    const refused = sample((await app.get('/metrics')).text, 'borda_http_requests_total', {
      method: 'GET',
      route: '/simulations',
      status: '401',
    });
    expect(refused).toBe(1);
    await app.get('/no/such/route');
    const unmatched = (await app.get('/metrics')).text;
    expect(sample(unmatched, 'borda_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
  });
});

describe('health when the database is unreachable', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere' } });
  });
  afterAll(() => app?.close());

  it('answers 503 degraded, without the driver message or the database address', async () => {
    const res = await app.get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'degraded' });
  });
});
