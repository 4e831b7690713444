/**
 * One learning cycle at 10,000 labels through the real service: RewardModelFit → PolicyFit →
 * ComparisonSelect on a 10k-prompt × 8-response campaign (text featuriser, dim 32), run by a built
 * worker process off the real queues. Rows are seeded by SQL; the fit is queued as JobDispatcher
 * does (a job_runs row, then the BullMQ job under its key) and the chain does the rest. Each job's
 * duration comes from job_runs; the baseline runs the same fit, policy and selection by calling the
 * learning code in this process on the same data, so the ratio is the orchestration overhead
 * (queueing, Postgres reads and writes, JSON (de)serialisation of the model).
 */
import { randomUUID } from 'node:crypto';
import Table from 'cli-table3';
import { Queue } from 'bullmq';
import { createStrategy, worstCaseGapCertificate } from '@borda/dueling-bandit';
import { Rng } from '@borda/numeric';
import { type SerializedModel, TextFeaturiser, loadModel } from '@borda/reward-model';
import type { Pool } from 'pg';
import { JOB_RETRY, JobName, bullJobId, jobKey } from '../apps/api/src/jobs/job-names';
import { buildCandidates } from '../apps/api/src/learning/candidates';
import { encodeEmbedding } from '../apps/api/src/learning/embeddings';
import { evaluateModel } from '../apps/api/src/learning/evaluation';
import { type LearningCampaign, createModel, resolveModelKind } from '../apps/api/src/learning/model-factory';
import { buildObservations, splitObservations } from '../apps/api/src/learning/observations';
import { computePolicies } from '../apps/api/src/learning/policies';
import { distinctQueries, selectionSeed } from '../apps/api/src/learning/selection';
import { REDIS_URL, startService } from './support/service';

const PROMPTS = 10_000;
const RESPONSES = 8;
const LABELS = 10_000;
const DIM = 32;
const SEED = 3;
const BUFFER = 32;
const BATCH = 16;

const WORDS = ['clear', 'wrong', 'detailed', 'vague', 'correct', 'lazy', 'careful', 'short', 'thorough', 'off-topic'];

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

interface Seeded {
  campaignId: string;
  promptIds: string[];
  responseIds: string[][];
  promptBytes: Buffer[];
  responseBytes: Buffer[][];
}

async function seed(db: Pool): Promise<Seeded> {
  const rng = new Rng(SEED);
  const featuriser = new TextFeaturiser({ dimension: DIM, seed: SEED });
  const { rows: users } = await db.query<{ id: string }>(
    `INSERT INTO users (id, email, name, role) VALUES (gen_random_uuid(), $1, 'bench', 'researcher') RETURNING id`,
    [`bench-${randomUUID()}@bench.borda`],
  );
  const { rows: labelers } = await db.query<{ id: string }>(
    `INSERT INTO users (id, email, name, role) VALUES (gen_random_uuid(), $1, 'labeler', 'labeler') RETURNING id`,
    [`labeler-${randomUUID()}@bench.borda`],
  );
  const campaignId = randomUUID();
  await db.query(
    `INSERT INTO campaigns (id, owner_id, name, status, strategy, model_kind, budget, batch_size, buffer_size,
       feature_source, feature_dim, seed, label_count, labels_at_last_fit, prompt_count, response_count, updated_at,
       started_at)
     VALUES ($1, $2, 'api-cycle', 'active', 'ae-borda', 'auto', 50000, $3, $4, 'text', $5, $6, $7, $7, $8, $9, now(), now())`,
    [campaignId, users[0].id, BATCH, BUFFER, DIM, SEED, LABELS, PROMPTS, PROMPTS * RESPONSES],
  );
  const s: Seeded = { campaignId, promptIds: [], responseIds: [], promptBytes: [], responseBytes: [] };
  const weights = rng.normals(DIM);
  const utility: number[][] = [];
  for (let p = 0; p < PROMPTS; p += 1000) {
    const pid: string[] = [];
    const ptext: string[] = [];
    const pemb: Buffer[] = [];
    const r = {
      id: [] as string[],
      prompt: [] as string[],
      ord: [] as number[],
      text: [] as string[],
      emb: [] as Buffer[],
    };
    for (let i = p; i < Math.min(PROMPTS, p + 1000); i++) {
      const id = randomUUID();
      const text = `Prompt ${i}: explain topic ${i % 97} with ${WORDS[i % WORDS.length]} examples`;
      const bytes = encodeEmbedding(featuriser.embed(text));
      pid.push(id);
      ptext.push(text);
      pemb.push(bytes);
      s.promptIds.push(id);
      s.promptBytes.push(bytes);
      const ids: string[] = [];
      const embs: Buffer[] = [];
      const us: number[] = [];
      for (let k = 0; k < RESPONSES; k++) {
        const rid = randomUUID();
        const words = Array.from({ length: 6 }, () => WORDS[rng.int(WORDS.length)]).join(' ');
        const rtext = `Response ${k} to ${i}: a ${words} answer about topic ${i % 97}.`;
        const vector = featuriser.embed(rtext);
        const bytes = encodeEmbedding(vector);
        let u = 0;
        for (let j = 0; j < DIM; j++) u += weights[j] * vector[j];
        ids.push(rid);
        embs.push(bytes);
        us.push(2 * u);
        r.id.push(rid);
        r.prompt.push(id);
        r.ord.push(k);
        r.text.push(rtext);
        r.emb.push(bytes);
      }
      s.responseIds.push(ids);
      s.responseBytes.push(embs);
      utility.push(us);
    }
    await db.query(
      `INSERT INTO prompts (id, campaign_id, external_id, ordinal, text, embedding, featurized_at)
       SELECT u.id, $1, 'p' || u.ord, u.ord, u.text, u.emb, now()
       FROM unnest($2::uuid[], $3::int[], $4::text[], $5::bytea[]) AS u(id, ord, text, emb)`,
      [campaignId, pid, pid.map((_, k) => p + k), ptext, pemb],
    );
    await db.query(
      `INSERT INTO responses (id, campaign_id, prompt_id, ordinal, text, embedding, featurized_at)
       SELECT u.id, $1, u.prompt, u.ord, u.text, u.emb, now()
       FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::bytea[]) AS u(id, prompt, ord, text, emb)`,
      [campaignId, r.id, r.prompt, r.ord, r.text, r.emb],
    );
  }
  // 10k judgments on random pairs, Bradley–Terry outcomes from a hidden linear utility of the response text.
  const cmp = { id: [] as string[], prompt: [] as string[], f: [] as string[], s: [] as string[], o: [] as number[] };
  for (let i = 0; i < LABELS; i++) {
    const p = rng.int(PROMPTS);
    const a = rng.int(RESPONSES);
    const b = rng.intExcluding(RESPONSES, a);
    cmp.id.push(randomUUID());
    cmp.prompt.push(s.promptIds[p]);
    cmp.f.push(s.responseIds[p][a]);
    cmp.s.push(s.responseIds[p][b]);
    cmp.o.push(rng.next() < 1 / (1 + Math.exp(-(utility[p][a] - utility[p][b]))) ? 1 : 0);
  }
  await db.query(
    `INSERT INTO comparisons (id, campaign_id, prompt_id, first_response_id, second_response_id, strategy, score, state,
       labels_required, labels_received, completed_at)
     SELECT u.id, $1, u.p, u.f, u.s, 'uniform', 0, 'complete', 1, 1, now()
     FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[]) AS u(id, p, f, s)`,
    [campaignId, cmp.id, cmp.prompt, cmp.f, cmp.s],
  );
  await db.query(
    `WITH a AS (
       INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, state, first_on_left, expires_at, finished_at)
       SELECT gen_random_uuid(), $1, u.c, $2, 'submitted', true, now(), now() FROM unnest($3::uuid[]) AS u(c)
       RETURNING id, comparison_id)
     INSERT INTO labels (id, campaign_id, comparison_id, assignment_id, labeler_id, choice, left_response_id,
       right_response_id, outcome, idempotency_key)
     SELECT gen_random_uuid(), $1, u.c, a.id, $2, (CASE WHEN u.o = 1 THEN 'A' ELSE 'B' END)::"Choice", u.f, u.s, u.o,
       u.c::text
     FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::float8[]) AS u(c, f, s, o) JOIN a ON a.comparison_id = u.c`,
    [campaignId, labelers[0].id, cmp.id, cmp.f, cmp.s, cmp.o],
  );
  return s;
}

/** The fit, policy and selection of one cycle, by calling the learning code in this process. */
async function baseline(s: Seeded, db: Pool): Promise<{ fit: number; policy: number; select: number }> {
  const campaign: LearningCampaign = {
    id: s.campaignId,
    strategy: 'ae-borda',
    modelKind: 'auto',
    modelOptions: {},
    strategyOptions: {},
    seed: SEED,
  };
  const { rows: responseRows } = await db.query(
    'SELECT id, prompt_id AS "promptId", ordinal, reference_logprob AS "referenceLogprob" FROM responses WHERE campaign_id = $1',
    [s.campaignId],
  );
  const bytes = new Map<string, Buffer>();
  s.responseIds.forEach((ids, p) => ids.forEach((id, k) => bytes.set(id, s.responseBytes[p][k])));
  const candidates = buildCandidates(
    s.promptIds.map((id, p) => ({ id, embedding: s.promptBytes[p] })),
    responseRows.map((r) => ({ ...r, embedding: bytes.get(r.id)! })),
    DIM,
    'baseline',
  );
  const { rows: judgments } = await db.query(
    `SELECT l.id, c.first_response_id AS "firstResponseId", c.second_response_id AS "secondResponseId", l.outcome
     FROM labels l JOIN comparisons c ON c.id = l.comparison_id WHERE l.campaign_id = $1 ORDER BY l.created_at, l.id`,
    [s.campaignId],
  );

  let t = performance.now();
  const observations = buildObservations(judgments, candidates);
  const kind = resolveModelKind(campaign, candidates.features.rows, observations.length);
  const { train, test } = splitObservations(observations);
  const trial = await createModel(kind, campaign, candidates.features);
  trial.model.fit(train);
  evaluateModel(trial.model, train, test, { fitMs: 0 });
  const published = await createModel(kind, campaign, candidates.features);
  published.model.fit(observations);
  worstCaseGapCertificate(published.model, candidates, { beta: 2, top: 1 });
  const json = published.model.toJSON();
  const fit = performance.now() - t;

  t = performance.now();
  const model = loadModel(JSON.parse(JSON.stringify(json)) as SerializedModel);
  await computePolicies(model, candidates, { beta: 2, softTemperature: 0.1, dpo: {}, judgments: observations });
  const policy = performance.now() - t;

  t = performance.now();
  const strategy = createStrategy('ae-borda', {});
  const taken = new Set<string>();
  for (let made = 0, round = LABELS; made < BUFFER;) {
    const queries = strategy.select({
      candidates,
      model,
      batchSize: 2 * BATCH,
      rng: new Rng(selectionSeed(SEED, round)),
    });
    const picks = distinctQueries(queries, candidates, taken, BATCH);
    made += picks.length;
    round += picks.length;
  }
  const select = performance.now() - t;
  return { fit, policy, select };
}

interface RunRow {
  name: string;
  state: string;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  result: Record<string, unknown> | null;
  error: string | null;
}

export async function run(): Promise<void> {
  const service = await startService({ workers: 1 });
  const queue = new Queue(JobName.RewardModelFit, {
    connection: {
      host: new URL(REDIS_URL).hostname,
      port: Number(new URL(REDIS_URL).port || 6379),
      maxRetriesPerRequest: null,
    },
    prefix: service.queuePrefix,
  });
  try {
    let t = performance.now();
    const s = await seed(service.db);
    console.log(
      `seeded ${PROMPTS} prompts × ${RESPONSES} responses and ${LABELS} labels in ${seconds(performance.now() - t)}`,
    );

    t = performance.now();
    const payload = { campaignId: s.campaignId };
    const key = jobKey(JobName.RewardModelFit, payload);
    const { rows } = await service.db.query<{ id: string }>(
      `INSERT INTO job_runs (id, campaign_id, name, job_key, payload) VALUES (gen_random_uuid(), $1, $2, $3, $4)
       RETURNING id`,
      [s.campaignId, JobName.RewardModelFit, key, JSON.stringify(payload)],
    );
    const retry = JOB_RETRY[JobName.RewardModelFit];
    await queue.add(
      JobName.RewardModelFit,
      { ...payload, jobRunId: rows[0].id },
      {
        jobId: bullJobId(key, rows[0].id),
        attempts: retry.attempts,
        backoff: { type: 'exponential', delay: retry.backoffMs },
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
    let runs: RunRow[] = [];
    for (;;) {
      ({ rows: runs } = await service.db.query<RunRow>(
        'SELECT name, state, queued_at, started_at, finished_at, result, error FROM job_runs WHERE campaign_id = $1 ORDER BY queued_at',
        [s.campaignId],
      ));
      const failed = runs.find((r) => r.state === 'failed');
      if (failed) throw new Error(`${failed.name} failed: ${failed.error}`);
      if (runs.some((r) => r.name === JobName.ComparisonSelect && r.state === 'completed')) break;
      if (performance.now() - t > 15 * 60_000) throw new Error('the cycle did not finish within 15 minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
    const endToEnd = performance.now() - t;
    const base = await baseline(s, service.db);

    const byName = (name: string) => runs.find((r) => r.name === name)!;
    const table = new Table({
      head: ['job', 'queue wait', 'job run (job_runs)', 'in-process baseline', 'job / baseline', 'result'],
    });
    const rowsOut: [JobName, number][] = [
      [JobName.RewardModelFit, base.fit],
      [JobName.PolicyFit, base.policy],
      [JobName.ComparisonSelect, base.select],
    ];
    let totalJobs = 0;
    for (const [name, baselineMs] of rowsOut) {
      const r = byName(name);
      const ran = r.finished_at!.getTime() - r.started_at!.getTime();
      totalJobs += ran;
      const { kind, heldOutAccuracy, created, prompts, modelKind } = r.result ?? {};
      const summary = [
        kind ?? modelKind,
        heldOutAccuracy !== undefined ? `acc ${Number(heldOutAccuracy).toFixed(3)}` : '',
        prompts !== undefined ? `${prompts} prompts` : '',
        created !== undefined ? `${created} created` : '',
      ]
        .filter(Boolean)
        .join(', ');
      table.push([
        name,
        seconds(r.started_at!.getTime() - r.queued_at.getTime()),
        seconds(ran),
        seconds(baselineMs),
        `${(ran / baselineMs).toFixed(2)}×`,
        summary,
      ]);
    }
    const baseTotal = base.fit + base.policy + base.select;
    table.push([
      'cycle (enqueue → select done)',
      '',
      seconds(endToEnd),
      seconds(baseTotal),
      `${(endToEnd / baseTotal).toFixed(2)}×`,
      `jobs alone ${seconds(totalJobs)}`,
    ]);
    console.log(table.toString());
  } finally {
    await queue.close();
    await service.stop();
  }
}
