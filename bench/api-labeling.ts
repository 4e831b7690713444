/**
 * Labeling throughput and latency: 200 simulated labelers, each one connection doing `next` →
 * `submit` round trips with its own session, against the built API (apps/api/dist; `npm run build`
 * first). Driven by autocannon's programmatic API: one instance, `connections: 200`, and per
 * connection (`setupClient`) a two-request chain whose second request is built from the first's
 * response (the leased assignment id); per-type latency is autocannon's own response time, attributed by the request's onResponse.
 *
 * Three runs on the same service and database, each on its own freshly seeded campaign (k = 1):
 *   (a) API, closed loop: every labeler starts its next round trip as soon as the last one ends (capacity).
 *   (b) API, paced: the same labelers with think times, at 40% of (a)'s rate (latency with headroom;
 *       our own fetch client, see drivePaced).
 *   (c) Baseline: the same SQL shape straight on Postgres with `pg` — a lease transaction (candidate
 *       FOR UPDATE SKIP LOCKED + guarded INSERT) and a submit transaction (lock the assignment, insert
 *       the label and update assignment, comparison and campaign counters) — 200 concurrent clients on a
 *       pool the size of the API's. The ratio (a)/(c) is the price of HTTP, auth, validation and Nest.
 *   (d) The closed loop of (a) against `npm start --api-replicas 2 --workers 3` (BENCH_API_REPLICAS; 1 skips
 *       it) on a database of its own: throughput against (a), and every acknowledged judgment stored once.
 * autocannon, the API and Postgres share this machine's cores.
 *
 * Standalone: `node --conditions=borda-source --import tsx -e "require('./bench/api-labeling').run()"`.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { JwtService } from '@nestjs/jwt';
import autocannon from 'autocannon';
import Table from 'cli-table3';
import { Pool } from 'pg';
import { seedLabelingCampaign } from '../apps/api/test/support/labeling-fixtures';
import { type RunningService, startService } from './support/service';

const LABELERS = Number(process.env.BENCH_LABELERS ?? 200);
/** DATABASE_POOL_SIZE of the API and the baseline's pool: 20 beat 10 here (connections wait less for a free one). */
const POOL = Number(process.env.BENCH_DB_POOL ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/**
 * Round trips per second of the paced run (b); by default 40% of what run (a) sustained, i.e.
 * latency at a load the machine carries with room to spare. (Little's law: a closed loop of 200
 * labelers only sees p99 < 50 ms above 4,000 requests/s.)
 */
const PACED_SHARE = 0.4;
const COMPARISONS = 120_000;

interface Sample {
  next: number[];
  submit: number[];
  roundTrips: number;
  errors: number;
  seconds: number;
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function seed(service: RunningService, ownerId: string, labelerIds: string[]) {
  return seedLabelingCampaign(service, {
    ownerId,
    labelerIds,
    prompts: 20_000,
    responsesPerPrompt: 4,
    comparisons: COMPARISONS,
    redundancy: 1,
    budget: 10_000_000,
    // The defaults a researcher would use: the cadence check and the buffer check both run per label.
    retrainEvery: 50,
    bufferSize: 32,
  });
}

/** (a)/(b): one autocannon instance, one connection per labeler, each with its own chain and token. */
async function driveApi(
  service: RunningService,
  campaignId: string,
  tokens: string[],
  { seconds = SECONDS }: { seconds?: number } = {},
) {
  const sample: Sample = { next: [], submit: [], roundTrips: 0, errors: 0, seconds };
  let client = 0;
  const result = await autocannon({
    url: service.url,
    connections: LABELERS,
    duration: seconds,
    requests: [{ method: 'GET', path: '/' }],
    setupClient: (c) => {
      const headers = {
        authorization: `Bearer ${tokens[client++ % tokens.length]}`,
        'content-type': 'application/json',
      };
      let serial = 0;
      let leased: string | undefined; // this connection's (labeler's) current assignment
      // autocannon times each response from when it was sent; onResponse runs just before its
      // 'response' event, so it tells the listener which kind of request the time belongs to.
      let kind: 'next' | 'submit' = 'next';
      c.on('response', (_status: number, _bytes: number, ms: number) => sample[kind].push(ms));
      c.setRequests([
        {
          method: 'POST',
          path: `/campaigns/${campaignId}/next`,
          headers,
          body: '{}',
          onResponse: (status, body) => {
            kind = 'next';
            leased =
              status === 200 ? (JSON.parse(body) as { assignment: { id: string } | null }).assignment?.id : undefined;
            if (status !== 200) sample.errors++;
          },
        },
        {
          method: 'POST',
          headers,
          setupRequest: (req) => {
            if (!leased) return null as never; // nothing leased: start the next round trip
            const body = { choice: serial % 3 === 0 ? 'tie' : 'A', idempotencyKey: `${leased}-${serial++}` };
            return { ...req, path: `/assignments/${leased}/submit`, body: JSON.stringify(body) };
          },
          onResponse: (status) => {
            kind = 'submit';
            if (status === 201) sample.roundTrips++;
            else sample.errors++;
          },
        },
      ]);
    },
  });
  sample.errors += result.errors + result.timeouts;
  return { sample, requestsPerSecond: result.requests.average };
}

/**
 * (b): the same 200 labelers as people would be: each thinks for an exponentially distributed time
 * (mean chosen so all together start `rate` round trips/s), then does next → submit. Our own open
 * client (fetch, keep-alive) because autocannon's overallRate releases each connection's quota at
 * the same instant every second, which measures its own bursts rather than the service.
 */
async function drivePaced(service: RunningService, campaignId: string, tokens: string[], rate: number) {
  const sample: Sample = { next: [], submit: [], roundTrips: 0, errors: 0, seconds: SECONDS };
  const deadline = Date.now() + SECONDS * 1000;
  const meanThinkMs = (tokens.length / rate) * 1000;
  const started = Date.now();
  await Promise.all(
    tokens.map(async (token, i) => {
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      for (let serial = 0; ; serial++) {
        const think = -Math.log(1 - Math.random()) * meanThinkMs;
        if (Date.now() + think >= deadline) return;
        await new Promise((r) => setTimeout(r, think));
        let t = performance.now();
        const next = await fetch(`${service.url}/campaigns/${campaignId}/next`, {
          method: 'POST',
          headers,
          body: '{}',
        });
        const leased = ((await next.json()) as { assignment: { id: string } | null }).assignment;
        sample.next.push(performance.now() - t);
        if (next.status !== 200 || !leased) {
          sample.errors += next.status === 200 ? 0 : 1;
          continue;
        }
        t = performance.now();
        const body = JSON.stringify({ choice: 'A', idempotencyKey: `${leased.id}-${i}-${serial}` });
        const submit = await fetch(`${service.url}/assignments/${leased.id}/submit`, { method: 'POST', headers, body });
        await submit.arrayBuffer();
        sample.submit.push(performance.now() - t);
        if (submit.status === 201) sample.roundTrips++;
        else sample.errors++;
      }
    }),
  );
  // Round trips start only inside the window; the last ones may finish just after it.
  sample.seconds = Math.max(SECONDS, (Date.now() - started) / 1000);
  return { sample, requestsPerSecond: (sample.next.length + sample.submit.length) / sample.seconds };
}

const LEASE_PICK = `
  SELECT c.id FROM comparisons c
  WHERE c.campaign_id = $1 AND c.state = 'open'
    AND c.labels_received + (SELECT count(*) FROM assignments a WHERE a.comparison_id = c.id
                             AND a.state = 'leased' AND a.expires_at > now()) < c.labels_required
    AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.comparison_id = c.id AND a.labeler_id = $2
                    AND (a.state IN ('submitted', 'skipped') OR (a.state = 'leased' AND a.expires_at > now())))
  ORDER BY c.position LIMIT 1 FOR UPDATE OF c SKIP LOCKED`;
const LEASE_INSERT = `
  WITH ins AS (
    INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, state, first_on_left, leased_at, expires_at)
    SELECT gen_random_uuid(), c.campaign_id, c.id, $2, 'leased', random() < 0.5, now(), now() + interval '300 seconds'
    FROM comparisons c WHERE c.id = $1 AND c.state = 'open'
      AND c.labels_received + (SELECT count(*) FROM assignments a WHERE a.comparison_id = c.id
                               AND a.state = 'leased' AND a.expires_at > now()) < c.labels_required
    RETURNING *)
  SELECT ins.id, p.text, r1.text AS first, r2.text AS second FROM ins JOIN comparisons c ON c.id = ins.comparison_id
  JOIN prompts p ON p.id = c.prompt_id JOIN responses r1 ON r1.id = c.first_response_id
  JOIN responses r2 ON r2.id = c.second_response_id`;
const SUBMIT_LOCK = `
  SELECT a.id, a.comparison_id, a.campaign_id, a.first_on_left, c.first_response_id, c.second_response_id
  FROM assignments a JOIN comparisons c ON c.id = a.comparison_id WHERE a.id = $1 FOR UPDATE OF a, c`;
const SUBMIT_STORE = `
  WITH k AS (UPDATE campaigns SET label_count = label_count + 1 WHERE id = $2 AND label_count < budget
             RETURNING label_count),
  l AS (INSERT INTO labels (id, campaign_id, comparison_id, assignment_id, labeler_id, choice, left_response_id,
                            right_response_id, outcome, idempotency_key)
        SELECT gen_random_uuid(), $2, $3, $1, $4, 'A', $5, $6, 1, $7 FROM k RETURNING id),
  s AS (UPDATE assignments SET state = 'submitted', finished_at = now() WHERE id = $1),
  c AS (UPDATE comparisons SET labels_received = labels_received + 1,
          state = CASE WHEN labels_received + 1 >= labels_required THEN 'complete'::"ComparisonState" ELSE state END
        WHERE id = $3)
  SELECT l.id FROM l`;

type Row = Record<string, string | boolean>;

async function transaction<T>(db: Pool, fn: (q: (sql: string, args: unknown[]) => Promise<Row[]>) => Promise<T>) {
  const conn = await db.connect();
  try {
    await conn.query('BEGIN');
    const out = await fn(async (sql, args) => (await conn.query<Row>(sql, args)).rows);
    await conn.query('COMMIT');
    return out;
  } catch (error) {
    await conn.query('ROLLBACK');
    throw error;
  } finally {
    conn.release();
  }
}

/** (c): the same statements from 200 async clients on a pg pool of the API's size, for the same time. */
async function driveBaseline(db: Pool, campaignId: string, labelerIds: string[]): Promise<Sample> {
  const sample: Sample = { next: [], submit: [], roundTrips: 0, errors: 0, seconds: SECONDS };
  const deadline = Date.now() + SECONDS * 1000;
  let serial = 0;
  await Promise.all(
    labelerIds.map(async (labelerId) => {
      while (Date.now() < deadline) {
        try {
          let t = performance.now();
          const leased = await transaction(db, async (q) => {
            const picked = await q(LEASE_PICK, [campaignId, labelerId]);
            return picked.length ? (await q(LEASE_INSERT, [picked[0].id, labelerId]))[0] : undefined;
          });
          sample.next.push(performance.now() - t);
          if (!leased) continue;
          t = performance.now();
          await transaction(db, async (q) => {
            const [a] = await q(SUBMIT_LOCK, [leased.id]);
            const [left, right] = a.first_on_left
              ? [a.first_response_id, a.second_response_id]
              : [a.second_response_id, a.first_response_id];
            await q(SUBMIT_STORE, [a.id, campaignId, a.comparison_id, labelerId, left, right, `k-${serial++}`]);
          });
          sample.submit.push(performance.now() - t);
          sample.roundTrips++;
        } catch {
          sample.errors++;
        }
      }
    }),
  );
  return sample;
}

/** A researcher, LABELERS labelers and a session token each, straight in the service's database. */
async function crowd(service: RunningService): Promise<{ ownerId: string; ids: string[]; tokens: string[] }> {
  const owner = await service.db.query<{ id: string }>(
    `INSERT INTO users (id, email, name, role) VALUES (gen_random_uuid(), 'owner@bench.borda', 'owner', 'researcher')
     RETURNING id`,
  );
  // Labelers straight into the database; sessions signed with the service's secret (no argon2 per user).
  const labelers = await service.db.query<{ id: string }>(
    `INSERT INTO users (id, email, name, role)
     SELECT gen_random_uuid(), 'labeler-' || g || '@bench.borda', 'labeler ' || g, 'labeler'
     FROM generate_series(1, $1) g RETURNING id`,
    [LABELERS],
  );
  const ids = labelers.rows.map((r) => r.id);
  // Each token names a session row (jti), as a login's does: the API refuses tokens without one.
  const sessions = await service.db.query<{ id: string; user_id: string }>(
    `INSERT INTO sessions (id, user_id, expires_at)
     SELECT gen_random_uuid(), u, now() + interval '1 hour' FROM unnest($1::uuid[]) u RETURNING id, user_id`,
    [ids],
  );
  const sessionOf = new Map(sessions.rows.map((r) => [r.user_id, r.id]));
  const jwt = new JwtService({ secret: service.jwtSecret });
  const tokens = ids.map((sub) =>
    jwt.sign({ sub, role: 'labeler' }, { expiresIn: 3600, jwtid: sessionOf.get(sub), algorithm: 'HS256' }),
  );
  return { ownerId: owner.rows[0].id, ids, tokens };
}

/**
 * (d) The closed loop against `npm start --api-replicas N` (the launcher's one port, N API processes,
 * 3 workers): round trips/s, and whether every acknowledged judgment is stored exactly once.
 */
async function driveReplicas(replicas: number) {
  const service = await startService({
    apiReplicas: replicas,
    workers: 3,
    env: { DATABASE_POOL_SIZE: String(POOL), LOG_LEVEL: 'warn' },
  });
  try {
    const { ownerId, ids, tokens } = await crowd(service);
    await driveApi(service, (await seed(service, ownerId, ids)).campaignId, tokens, { seconds: 3 });
    const campaignId = (await seed(service, ownerId, ids)).campaignId;
    const run = await driveApi(service, campaignId, tokens);
    const stored = await service.db.query<{ labels: number; distinct: number }>(
      `SELECT count(*)::int AS labels, count(DISTINCT assignment_id)::int AS distinct FROM labels WHERE campaign_id = $1`,
      [campaignId],
    );
    return { replicas, run, stored: stored.rows[0] };
  } finally {
    await service.stop();
  }
}

export async function run(): Promise<void> {
  const service = await startService({ env: { DATABASE_POOL_SIZE: String(POOL), LOG_LEVEL: 'warn' } });
  let closedRate = 0;
  try {
    const { ownerId, ids, tokens } = await crowd(service);
    const campaign = async () => (await seed(service, ownerId, ids)).campaignId;
    // A few seconds of the same load first, so JIT, pools and Postgres caches are warm before measuring.
    await driveApi(service, await campaign(), tokens, { seconds: 3 });
    const closedCampaign = await campaign();
    const closed = await driveApi(service, closedCampaign, tokens);
    // Leases the fast path gave back after losing a race for a slot (see LabelingService.next).
    const released = await service.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assignments WHERE campaign_id = $1 AND state = 'expired'`,
      [closedCampaign],
    );
    closedRate = closed.sample.roundTrips / closed.sample.seconds;
    const rate = Number(process.env.BENCH_PACED_RATE ?? Math.max(1, Math.round(PACED_SHARE * closedRate)));
    const paced = await drivePaced(service, await campaign(), tokens, rate);
    const pool = new Pool({ connectionString: service.databaseUrl, max: POOL });
    const baseline = await driveBaseline(pool, await campaign(), ids).finally(() => pool.end());
    // The floor under any authenticated route: guard (JWT verify + session and user lookup), routing, JSON.
    const floor = await autocannon({
      url: service.url,
      connections: LABELERS,
      duration: 5,
      headers: { authorization: `Bearer ${tokens[0]}` },
      requests: [{ method: 'GET', path: '/auth/me' }],
    });
    printTable(closed, paced, baseline, rate);
    console.log(`(a) leases given back after a lost race (fast-path clash): ${released.rows[0].n}`);
    console.log(
      `GET /auth/me alone (auth guard + Nest, no labeling work), ${LABELERS} connections: ` +
        `${floor.requests.average.toFixed(0)} requests/s, p50 ${floor.latency.p50} ms, p99 ${floor.latency.p99} ms` +
        ` → at most ≈${(floor.requests.average / 2).toFixed(0)} round trips/s of two requests each, before any SQL`,
    );
  } finally {
    await service.stop();
  }
  const replicas = Number(process.env.BENCH_API_REPLICAS ?? 2);
  if (replicas > 1) {
    const { run: r, stored } = await driveReplicas(replicas);
    const rate = r.sample.roundTrips / r.sample.seconds;
    console.log(
      `(d) npm start --api-replicas ${replicas} --workers 3, closed loop: ${rate.toFixed(0)} round trips/s ` +
        `(${(rate / closedRate).toFixed(2)}× one API process above), ${r.sample.errors} errors; ` +
        `${r.sample.roundTrips} judgments acknowledged, ${stored.labels} stored (the rest were in flight when the run ` +
        `stopped), ${stored.distinct} distinct leases: ` +
        (stored.labels >= r.sample.roundTrips && stored.distinct === stored.labels
          ? 'nothing lost or stored twice'
          : 'LOST OR DOUBLED'),
    );
  }
}

function printTable(
  closed: { sample: Sample; requestsPerSecond: number },
  paced: { sample: Sample; requestsPerSecond: number },
  baseline: Sample,
  rate: number,
) {
  const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : '—');
  const baseRate = baseline.roundTrips / baseline.seconds;
  const table = new Table({
    head: ['run', 'round trips/s', 'requests/s', 'vs baseline', 'next p50/p95/p99', 'submit p50/p95/p99', 'errors'],
  });
  const row = (name: string, s: Sample, rps: number) => [
    name,
    (s.roundTrips / s.seconds).toFixed(0),
    rps.toFixed(0),
    `${(s.roundTrips / s.seconds / baseRate).toFixed(2)}×`,
    [50, 95, 99].map((p) => ms(pct(s.next, p))).join(' / '),
    [50, 95, 99].map((p) => ms(pct(s.submit, p))).join(' / '),
    String(s.errors),
  ];
  table.push(row('(a) API, closed loop', closed.sample, closed.requestsPerSecond));
  table.push(row(`(b) API, paced: ${rate} round trips/s`, paced.sample, paced.requestsPerSecond));
  table.push(row('(c) pg baseline, closed loop', baseline, (baseline.next.length + baseline.submit.length) / SECONDS));
  console.log(
    `${LABELERS} labelers (one connection each), ${SECONDS} s per run, k = 1, DATABASE_POOL_SIZE = ${POOL} ` +
      `(baseline pool ${POOL}); autocannon, the API and Postgres share ${cpus().length} cores`,
  );
  console.log(table.toString());
}
