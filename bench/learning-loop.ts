/**
 * Learning-loop benchmark (issue 11 item 2, "a loop that keeps up"): simulated labelers work a live
 * campaign through the HTTP API the way the labeler app does, while the real workers fit, derive
 * policies and refill the buffer, and we count how often a labeler asks for work and finds none.
 *
 * Each labeler shows one comparison and prefetches one more (`next` with `holding`, as the app does),
 * thinks for an exponentially distributed time (mean THINK_SECONDS, the paced think time of the
 * api-labeling benchmark), then answers by a Bradley–Terry draw from a linear true reward on the
 * supplied embeddings. A `next` that finds nothing is retried after a second (the app polls).
 * The service runs as `npm start` runs it: one API, one worker for imports, fits and policies, one
 * worker for buffer refills (launcher/worker-roles.ts), on this machine's cores with Postgres and the
 * labelers' driver.
 *
 * Cells: campaigns of 900 responses (150 prompts × 6) and 80,000 (10,000 × 8), 30 and 200 labelers,
 * redundancy 1 and 3, the campaign defaults otherwise (ae-auto, model auto, bufferSize 32,
 * batchSize 16, retrainEvery 50). Measured over WINDOW_SECONDS once the first comparisons exist:
 *   empty     — share of `next` calls answered without work (no_comparisons, budget_leased): bar < 2 %;
 *   select    — ComparisonSelect from queued to finished (what a refill makes labelers wait), p50/max;
 *   labels/s  — judgments stored per second, against the offered rate labelers / think time (the
 *               in-process baseline: what the crowd would do if it never waited or queued).
 *
 * Standalone: `node --conditions=borda-source --import tsx -e "require('./bench/learning-loop').run()"`.
 */
import { randomUUID } from 'node:crypto';
import Table from 'cli-table3';
import { Rng } from '@borda/numeric';
import { type RunningService, startService } from './support/service';

const THINK_SECONDS = Number(process.env.BENCH_THINK_SECONDS ?? 5);
const WINDOW_SECONDS = Number(process.env.BENCH_LOOP_SECONDS ?? 60);
const DIM = 16;
const PREFETCH = 2;
const POLL_MS = 1_000;
const SIZES = [
  { prompts: 150, responses: 6 },
  { prompts: 10_000, responses: 8 },
];
const CROWDS = (process.env.BENCH_LOOP_CROWDS ?? '30,200').split(',').map(Number);
const REDUNDANCIES = [1, 3];

interface Labeler {
  readonly id: string;
  readonly token: string;
}

interface Cell {
  readonly responses: number;
  readonly labelers: number;
  readonly redundancy: number;
  readonly nextCalls: number;
  readonly empty: number;
  readonly labels: number;
  readonly seconds: number;
  readonly selectP50: number;
  readonly selectMax: number;
  readonly selections: number;
  readonly fits: number;
  readonly bufferTarget: number;
}

/** The fields of the API's answers this driver reads (responses are the API's own, typed in its OpenAPI). */
interface ApiBody {
  readonly id?: string;
  readonly assignment?: { id: string; left: { id: string }; right: { id: string } } | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A campaign's JSONL with supplied embeddings, and its true reward per response external id. */
function problem(prompts: number, responses: number, seed: number) {
  const rng = new Rng(seed);
  const w = rng.normals(DIM);
  const norm = Math.hypot(...w);
  const utility = new Map<string, number>();
  const lines: string[] = [];
  for (let p = 0; p < prompts; p++) {
    const list = [];
    for (let a = 0; a < responses; a++) {
      const embedding = Array.from(rng.normals(DIM), (x) => Number(x.toFixed(4)));
      // Scaled so that two random responses of a prompt are told apart about 75 % of the time.
      utility.set(`p${p}-r${a}`, (1.6 / norm) * embedding.reduce((s, x, j) => s + x * w[j], 0));
      list.push({ id: `p${p}-r${a}`, text: `Answer ${a} to question ${p}`, embedding });
    }
    const embedding = Array.from(rng.normals(DIM), (x) => Number(x.toFixed(4)));
    lines.push(JSON.stringify({ id: `p${p}`, prompt: `Question ${p}`, embedding, responses: list }));
  }
  return { jsonl: lines.join('\n') + '\n', utility };
}

async function api(service: RunningService, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': typeof body === 'string' ? 'application/x-ndjson' : 'application/json',
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as ApiBody;
}

async function launchCampaign(
  service: RunningService,
  researcher: Labeler,
  labelers: readonly Labeler[],
  size: (typeof SIZES)[number],
  redundancy: number,
) {
  const { jsonl, utility } = problem(size.prompts, size.responses, size.prompts + redundancy);
  const created = await api(service, researcher.token, 'POST', '/campaigns', {
    name: `learning-loop ${size.prompts * size.responses} r${redundancy} x${labelers.length}`,
    budget: 1_000_000,
    redundancy,
    featureSource: 'embedding',
    featureDim: DIM,
    seed: 1,
    labelerIds: labelers.map((l) => l.id),
  });
  const id = created.id!;
  await api(service, researcher.token, 'POST', `/campaigns/${id}/imports`, jsonl);
  await api(service, researcher.token, 'POST', `/campaigns/${id}/start`, {});
  const { rows } = await service.db.query<{ id: string; external_id: string }>(
    'SELECT id, external_id FROM responses WHERE campaign_id = $1',
    [id],
  );
  const byId = new Map(rows.map((r) => [r.id, utility.get(r.external_id)!]));
  // Labelers arrive once there is work: the first fill (featurisation, the prior's selection) is
  // a campaign's start-up, not the loop keeping up.
  for (;;) {
    const { rows: open } = await service.db.query(`SELECT 1 FROM comparisons WHERE campaign_id = $1 LIMIT 1`, [id]);
    if (open.length > 0) break;
    await sleep(200);
  }
  return { id, utility: byId };
}

/** One labeler as the app drives it, until `until`: counts its `next` calls and the empty ones. */
async function labelerLoop(
  service: RunningService,
  campaignId: string,
  labeler: Labeler,
  utility: ReadonlyMap<string, number>,
  rng: Rng,
  until: number,
  counts: { next: number; empty: number },
) {
  const held: { id: string; left: string; right: string }[] = [];
  while (Date.now() < until) {
    if (held.length < PREFETCH) {
      const answer = await api(service, labeler.token, 'POST', `/campaigns/${campaignId}/next`, {
        holding: held.map((h) => h.id),
      });
      counts.next++;
      if (answer.assignment) {
        held.push({ id: answer.assignment.id, left: answer.assignment.left.id, right: answer.assignment.right.id });
      } else {
        counts.empty++;
        if (held.length === 0) {
          await sleep(POLL_MS);
          continue;
        }
      }
    }
    const shown = held.shift()!;
    await sleep(-Math.log(1 - rng.next()) * THINK_SECONDS * 1000);
    const pLeft = 1 / (1 + Math.exp(-(utility.get(shown.left)! - utility.get(shown.right)!)));
    await api(service, labeler.token, 'POST', `/assignments/${shown.id}/submit`, {
      choice: rng.next() < pLeft ? 'A' : 'B',
      idempotencyKey: randomUUID(),
    });
  }
}

async function runCell(
  service: RunningService,
  researcher: Labeler,
  crowd: readonly Labeler[],
  size: (typeof SIZES)[number],
  redundancy: number,
): Promise<Cell> {
  const campaign = await launchCampaign(service, researcher, crowd, size, redundancy);
  const counts = { next: 0, empty: 0 };
  const started = new Date();
  const until = Date.now() + WINDOW_SECONDS * 1000;
  const rng = new Rng(crowd.length * 10 + redundancy);
  await Promise.all(
    crowd.map((labeler, i) => labelerLoop(service, campaign.id, labeler, campaign.utility, rng.fork(i), until, counts)),
  );
  const seconds = (Date.now() - started.getTime()) / 1000;
  const { rows } = await service.db.query<{
    labels: number;
    p50: number | null;
    max: number | null;
    selections: number;
    fits: number;
    target: number;
  }>(
    `SELECT (SELECT count(*)::int FROM labels WHERE campaign_id = $1 AND created_at >= $2) AS labels,
       s.p50, s.max, s.n AS selections,
       (SELECT count(*)::int FROM job_runs WHERE campaign_id = $1 AND name = 'RewardModelFit' AND state = 'completed'
          AND queued_at >= $2) AS fits,
       (SELECT buffer_target FROM campaigns WHERE id = $1) AS target
     FROM (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50, max(d) AS max, count(*)::int AS n
           FROM (SELECT EXTRACT(EPOCH FROM finished_at - queued_at)::float8 AS d FROM job_runs
                 WHERE campaign_id = $1 AND name = 'ComparisonSelect' AND state = 'completed' AND queued_at >= $2) j) s`,
    [campaign.id, started],
  );
  // Stop this campaign's loop before the next cell, so cells do not share the workers.
  await api(service, researcher.token, 'POST', `/campaigns/${campaign.id}/pause`, {}).catch(() => undefined);
  const r = rows[0];
  return {
    responses: size.prompts * size.responses,
    labelers: crowd.length,
    redundancy,
    nextCalls: counts.next,
    empty: counts.empty,
    labels: r.labels,
    seconds,
    selectP50: r.p50 ?? NaN,
    selectMax: r.max ?? NaN,
    selections: r.selections,
    fits: r.fits,
    bufferTarget: r.target,
  };
}

export async function run(): Promise<void> {
  const service = await startService({ workers: 1, selectionWorkers: 1 });
  try {
    const researcher = await service.createUser('researcher');
    const crowd: Labeler[] = [];
    for (let i = 0; i < Math.max(...CROWDS); i++) crowd.push(await service.createUser('labeler'));
    const cells: Cell[] = [];
    for (const size of SIZES) {
      for (const labelers of CROWDS) {
        for (const redundancy of REDUNDANCIES) {
          const cell = await runCell(service, researcher, crowd.slice(0, labelers), size, redundancy);
          cells.push(cell);
          console.log(
            `  ${cell.responses} responses, ${labelers} labelers, r=${redundancy}: ${cell.empty}/${cell.nextCalls} empty, ` +
              `${(cell.labels / cell.seconds).toFixed(1)} labels/s`,
          );
        }
      }
    }
    printTable(cells);
  } finally {
    await service.stop();
  }
}

function printTable(cells: readonly Cell[]): void {
  const table = new Table({
    head: [
      'responses',
      'labelers',
      'k',
      'next calls',
      'empty (bar < 2%)',
      'select p50 / max',
      'selections',
      'fits',
      'buffer target',
      'labels/s',
      'offered/s',
      'ratio',
    ],
  });
  for (const c of cells) {
    const offered = c.labelers / THINK_SECONDS;
    const rate = c.labels / c.seconds;
    table.push([
      c.responses.toLocaleString('en'),
      c.labelers,
      c.redundancy,
      c.nextCalls,
      `${((100 * c.empty) / Math.max(1, c.nextCalls)).toFixed(2)} %`,
      `${c.selectP50.toFixed(2)} / ${c.selectMax.toFixed(2)} s`,
      c.selections,
      c.fits,
      c.bufferTarget,
      rate.toFixed(2),
      offered.toFixed(2),
      `${(rate / offered).toFixed(2)}×`,
    ]);
  }
  console.log(table.toString());
  console.log(
    `Think time ${THINK_SECONDS} s (exponential), ${WINDOW_SECONDS} s per cell after the first fill; one API, one ` +
      'fit worker and one selection worker on this machine. Offered: labelers ÷ think time (no waiting, no latency).',
  );
}
