/**
 * Issue 11, item 6: chaos. The real launcher (two API replicas, one worker, embedded PostgreSQL,
 * managed Redis) runs a campaign while simulated labelers lease and submit through the API and
 * retry, with the same idempotency key, whatever did not answer 2xx. Meanwhile, one after the
 * other: a worker is killed mid-fit, an API replica mid-submit, Redis is killed, PostgreSQL is
 * stopped (and started again by the launcher), and the launcher itself gets SIGTERM and is started
 * again on the same data. Afterwards: every acknowledged label is stored exactly once and nothing
 * else is, no comparison holds more labels than it requires, every killed process came back by
 * itself within 10 s, the campaign completes, and its last model covers every label.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Rng } from '@borda/numeric';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { LAUNCHER, LauncherProcess, launcherPorts, until } from './support/launcher-process';
import { tabularProblem } from './support/synthetic';

const BUDGET = 160;
const LABELERS = 3;
const BACK_WITHIN_MS = 10_000;

interface Reply {
  status: number;
  body: any;
}

/** One API call; status 0 when nothing answered (connection refused or reset: a replica or the launcher is down). */
async function call(base: string, method: string, route: string, token: string | null, body?: unknown, ndjson = false) {
  try {
    const response = await fetch(base + route, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        'content-type': ndjson ? 'application/x-ndjson' : 'application/json',
      },
      body: body === undefined ? undefined : ndjson ? String(body) : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null } as Reply;
  } catch {
    return { status: 0, body: null } as Reply;
  }
}

/** What a client does about an outage: 0 (no answer), 502–504 are retried; anything else is an answer. */
const transient = (status: number) => status === 0 || (status >= 502 && status <= 504);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chaos', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'borda-chaos-'));
  let launcher: LauncherProcess | undefined;
  afterAll(async () => {
    await launcher?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'loses no acknowledged label and completes the campaign through crashes and restarts',
    { timeout: 240_000 },
    async () => {
      expect(existsSync(LAUNCHER), 'apps/api/dist is missing: run npm run build').toBe(true);
      const started = Date.now();
      const ports = await launcherPorts();
      const base = `http://127.0.0.1:${ports.port}`;
      // A periodic reconciliation every 5 s re-queues what a Redis killed before its append-only fsync lost.
      const extraEnv = { RECONCILE_INTERVAL_MS: '5000' };
      launcher = new LauncherProcess(dataDir, ports, ['--api-replicas', '2'], extraEnv);
      await launcher.ready();

      const pgPassword = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
      /** A query on a connection of its own (PostgreSQL is restarted under the test), retried while it is away. */
      const sql = async <R extends object>(text: string, values: unknown[] = []): Promise<R[]> =>
        until(`query ${text}`, 30_000, async () => {
          const client = new Client({
            host: '127.0.0.1',
            port: ports.postgresPort,
            user: 'postgres',
            password: pgPassword,
            database: 'borda',
          });
          client.on('error', () => undefined);
          try {
            await client.connect();
            return (await client.query(text, values)).rows as R[];
          } catch {
            return undefined;
          } finally {
            await client.end().catch(() => undefined);
          }
        });

      // The researcher (the first admin), three labelers, a small embedding campaign.
      const [, email, password] = /^email: (\S+)\npassword: (\S+)$/m.exec(
        readFileSync(path.join(dataDir, 'first-admin.txt'), 'utf8'),
      )!;
      const admin = await call(base, 'POST', '/auth/login', null, { email, password });
      expect(admin.status).toBe(200);
      const adminToken: string = admin.body.accessToken;
      const labelers: { id: string; token: string }[] = [];
      for (let i = 0; i < LABELERS; i++) {
        const user = {
          email: `chaos-${i}@borda.local`,
          name: `Chaos ${i}`,
          password: 'chaos-labeler-pass',
          role: 'labeler',
        };
        const created = await call(base, 'POST', '/users', adminToken, user);
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        const login = await call(base, 'POST', '/auth/login', null, { email: user.email, password: user.password });
        labelers.push({ id: created.body.id, token: login.body.accessToken });
      }
      const problem = tabularProblem(3, 6, 5);
      const campaign = await call(base, 'POST', '/campaigns', adminToken, {
        name: 'chaos',
        strategy: 'ae-borda',
        budget: BUDGET,
        retrainEvery: 8,
        batchSize: 8,
        bufferSize: 16,
        featureSource: 'embedding',
        featureDim: problem.prompts * problem.responses,
        seed: 5,
        labelerIds: labelers.map((l) => l.id),
      });
      expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
      const campaignId: string = campaign.body.id;
      expect(
        (await call(base, 'POST', `/campaigns/${campaignId}/imports`, adminToken, problem.jsonl, true)).status,
      ).toBe(201);
      expect((await call(base, 'POST', `/campaigns/${campaignId}/start`, adminToken, {})).status).toBe(200);
      const external = new Map(
        (
          await sql<{ id: string; external_id: string }>(
            'SELECT id, external_id FROM responses WHERE campaign_id = $1',
            [campaignId],
          )
        ).map((r) => [r.id, r.external_id]),
      );
      const utility = (responseId: string) => problem.utility.get(external.get(responseId)!)!;

      // Simulated labelers: lease, judge by Bradley–Terry, submit; a submit without a 2xx is sent again
      // with the same idempotency key until one comes (the client's half of exactly-once).
      const acknowledged = new Set<string>();
      const unexpected: string[] = [];
      let outages = 0;
      let slow = true; // a judgment every ~150 ms per labeler while the faults run, then as fast as they go
      let done = false;
      const labeler = async (index: number) => {
        const { token } = labelers[index];
        const rng = new Rng(100 + index);
        for (let turn = 0; !done; turn++) {
          const next = await call(base, 'POST', `/campaigns/${campaignId}/next`, token, {});
          if (transient(next.status)) {
            outages++;
            await pause(100);
            continue;
          }
          if (next.status === 409 && next.body?.code === 'CAMPAIGN_NOT_ACTIVE') return;
          if (next.status !== 200) {
            unexpected.push(`next ${next.status} ${JSON.stringify(next.body)}`);
            await pause(100);
            continue;
          }
          if (next.body.assignment === null) {
            if (next.body.reason === 'budget_reached') return;
            await pause(50);
            continue;
          }
          const { id, left, right } = next.body.assignment;
          const choice = rng.next() < 1 / (1 + Math.exp(utility(right.id) - utility(left.id))) ? 'A' : 'B';
          const idempotencyKey = `chaos-${index}-${turn}`;
          for (;;) {
            const submit = await call(base, 'POST', `/assignments/${id}/submit`, token, { choice, idempotencyKey });
            if (submit.status === 200 || submit.status === 201) {
              acknowledged.add(idempotencyKey);
              if (submit.body?.campaignCompleted) done = true;
              break;
            }
            if (!transient(submit.status)) {
              unexpected.push(`submit ${submit.status} ${JSON.stringify(submit.body)}`);
              break;
            }
            outages++;
            await pause(100);
          }
          if (slow) await pause(150);
        }
      };
      const labeling = Promise.all(labelers.map((_, i) => labeler(i)));
      const storedLabels = async () =>
        Number(
          (
            await sql<{ n: string }>('SELECT count(*) AS n FROM labels WHERE campaign_id = $1 AND NOT gold', [
              campaignId,
            ])
          )[0].n,
        );

      // 1. A worker killed mid-fit: wait for a RewardModelFit to be active, then kill -9 the worker.
      const l = launcher;
      await until(
        'an active RewardModelFit',
        60_000,
        async () => {
          const active = await sql(
            `SELECT 1 FROM job_runs WHERE campaign_id = $1 AND name = 'RewardModelFit' AND state = 'active'`,
            [campaignId],
          );
          return active.length > 0 ? true : undefined;
        },
        20,
      );
      const restarts: Record<string, number> = {};
      restarts['worker (mid-fit)'] = await l.kill('worker 1', 'SIGKILL', BACK_WITHIN_MS);

      // 2. An API replica killed while labelers submit through it.
      await pause(500);
      restarts['api 1'] = await l.kill('api 1', 'SIGKILL', BACK_WITHIN_MS);

      // 3. Redis killed.
      await pause(1000);
      restarts['redis-server'] = await l.kill('redis-server', 'SIGKILL', BACK_WITHIN_MS);

      // 4. PostgreSQL stopped (fast shutdown, as pg_ctl stop): the launcher starts it again.
      await pause(1000);
      restarts.postgres = await l.kill('postgres', 'SIGINT', BACK_WITHIN_MS);

      // 5. The launcher itself: SIGTERM stops everything cleanly; started again on the same data.
      await pause(1000);
      const beforeRestart = await storedLabels();
      expect(beforeRestart, 'the labelers finished before the faults: raise BUDGET').toBeLessThan(BUDGET);
      expect(await l.stop()).toBe(0);
      const firstOutput = l.output();
      launcher = new LauncherProcess(dataDir, ports, ['--api-replicas', '2'], extraEnv);
      await launcher.ready();
      slow = false;

      await until(
        'the labelers to finish',
        150_000 - (Date.now() - started),
        async () => await Promise.race([labeling.then(() => true), pause(250).then(() => undefined)]),
      );
      // An unexpected answer comes with what the API logged as an error (the cause of a 500).
      const errors = (firstOutput + launcher.output())
        .split('\n')
        .filter((line) => line.includes('"level":50') && line.includes('"context":"ErrorFilter"'));
      expect(unexpected, errors.join('\n').slice(0, 4000)).toEqual([]);
      for (const [name, ms] of Object.entries(restarts)) expect(ms, name).toBeLessThanOrEqual(BACK_WITHIN_MS);

      // Every acknowledged label stored exactly once, and no label that was not acknowledged.
      const keys = await sql<{ key: string; n: string }>(
        'SELECT idempotency_key AS key, count(*) AS n FROM labels WHERE campaign_id = $1 AND NOT gold GROUP BY 1',
        [campaignId],
      );
      expect(keys.filter((k) => Number(k.n) !== 1)).toEqual([]);
      expect(keys.map((k) => k.key).sort()).toEqual([...acknowledged].sort());
      expect(keys.length).toBe(BUDGET);

      // No comparison holds more labels than it requires (counted, and as the counter says).
      const over = await sql(
        `SELECT c.id, c.labels_required, c.labels_received, count(l.id) AS labels
         FROM comparisons c LEFT JOIN labels l ON l.comparison_id = c.id AND NOT l.gold
        WHERE c.campaign_id = $1 GROUP BY c.id
       HAVING count(l.id) > c.labels_required OR c.labels_received > c.labels_required`,
        [campaignId],
      );
      expect(over).toEqual([]);

      // The campaign completed, and its last model (the fit the completion forces) covers every label.
      const [{ status }] = await sql<{ status: string }>('SELECT status FROM campaigns WHERE id = $1', [campaignId]);
      expect(status).toBe('completed');
      const covered = await until(
        'a model version fitted on every label',
        170_000 - (Date.now() - started),
        async () => {
          const [row] = await sql<{ n: number | null }>(
            'SELECT max(label_count) AS n FROM model_versions WHERE campaign_id = $1',
            [campaignId],
          );
          return row.n === BUDGET ? row.n : undefined;
        },
        500,
      );
      expect(covered).toBe(BUDGET);
      expect(outages, 'the faults were felt by the labelers').toBeGreaterThan(0);
    },
  );
});
