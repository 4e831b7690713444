/**
 * Seeds campaigns, prompts, responses and judgments straight into a test database with SQL, so the
 * learning tests do not depend on the import and labeling routes.
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';

export interface SeedCampaignOptions {
  ownerId: string;
  prompts: number;
  responsesPerPrompt: number;
  featureSource?: 'text' | 'embedding';
  featureDim?: number;
  strategy?: string;
  modelKind?: string;
  status?: 'draft' | 'active' | 'paused' | 'completed';
  budget?: number;
  bufferSize?: number;
  batchSize?: number;
  redundancy?: number;
  retrainEvery?: number;
  seed?: number;
  strategyOptions?: object;
  modelOptions?: object;
  /** Supplied vectors (featureDim values) written with featurized_at set: the rows are ready to select. */
  embedding?: (prompt: number, response: number | null) => number[];
  /** Reference log-probabilities per response. */
  referenceLogprob?: (prompt: number, response: number) => number;
}

export interface SeededCampaign {
  campaignId: string;
  promptIds: string[];
  /** responseIds[p][k]: response k of prompt p. */
  responseIds: string[][];
}

export function float32Bytes(values: readonly number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeFloatLE(v, i * 4));
  return out;
}

/** A small seeded generator (mulberry32) for fixture data. */
export function fixtureRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUALITY_WORDS = ['wrong and lazy', 'vague', 'partly right', 'clear and correct', 'careful, correct and detailed'];

export async function seedCampaign(db: Pool, o: SeedCampaignOptions): Promise<SeededCampaign> {
  const campaignId = randomUUID();
  const dim = o.featureDim ?? 8;
  await db.query(
    `INSERT INTO campaigns (id, owner_id, name, status, strategy, strategy_options, model_kind, model_options, budget,
       redundancy, retrain_every, batch_size, buffer_size, feature_source, feature_dim, seed, prompt_count,
       response_count, updated_at, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, now(), now())`,
    [
      campaignId,
      o.ownerId,
      `campaign ${campaignId.slice(0, 8)}`,
      o.status ?? 'active',
      o.strategy ?? 'ae-borda',
      JSON.stringify(o.strategyOptions ?? {}),
      o.modelKind ?? 'auto',
      JSON.stringify(o.modelOptions ?? {}),
      o.budget ?? 1000,
      o.redundancy ?? 1,
      o.retrainEvery ?? 50,
      o.batchSize ?? 8,
      o.bufferSize ?? 16,
      o.featureSource ?? (o.embedding ? 'embedding' : 'text'),
      dim,
      o.seed ?? 1,
      o.prompts,
      o.prompts * o.responsesPerPrompt,
    ],
  );
  const promptIds: string[] = [];
  const responseIds: string[][] = [];
  const p = { id: [] as string[], ord: [] as number[], text: [] as (string | null)[], msg: [] as (string | null)[] };
  const pEmb: (Buffer | null)[] = [];
  const r = { id: [] as string[], prompt: [] as string[], ord: [] as number[], text: [] as string[] };
  const rEmb: (Buffer | null)[] = [];
  const rRef: (number | null)[] = [];
  for (let i = 0; i < o.prompts; i++) {
    const id = randomUUID();
    promptIds.push(id);
    p.id.push(id);
    p.ord.push(i);
    // Every fifth prompt is multi-turn.
    const multi = i % 5 === 4;
    p.text.push(multi ? null : `Question ${i}: how does topic ${i % 7} work?`);
    p.msg.push(multi ? JSON.stringify([{ role: 'user', content: `Tell me about topic ${i % 7}` }]) : null);
    pEmb.push(o.embedding ? float32Bytes(o.embedding(i, null)) : null);
    const ids: string[] = [];
    for (let k = 0; k < o.responsesPerPrompt; k++) {
      const rid = randomUUID();
      ids.push(rid);
      r.id.push(rid);
      r.prompt.push(id);
      r.ord.push(k);
      r.text.push(`Answer ${k} to ${i}: a ${QUALITY_WORDS[k % QUALITY_WORDS.length]} explanation of topic ${i % 7}.`);
      rEmb.push(o.embedding ? float32Bytes(o.embedding(i, k)) : null);
      rRef.push(o.referenceLogprob ? o.referenceLogprob(i, k) : null);
    }
    responseIds.push(ids);
  }
  await db.query(
    `INSERT INTO prompts (id, campaign_id, external_id, ordinal, text, messages, embedding, featurized_at)
     SELECT u.id, $1, 'p' || u.ord, u.ord, u.text, u.msg::jsonb, u.emb, CASE WHEN u.emb IS NULL THEN NULL ELSE now() END
     FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::bytea[]) AS u(id, ord, text, msg, emb)`,
    [campaignId, p.id, p.ord, p.text, p.msg, pEmb],
  );
  await db.query(
    `INSERT INTO responses (id, campaign_id, prompt_id, ordinal, text, embedding, reference_logprob, featurized_at)
     SELECT u.id, $1, u.prompt, u.ord, u.text, u.emb, u.ref, CASE WHEN u.emb IS NULL THEN NULL ELSE now() END
     FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::bytea[], $7::float8[]) AS u(id, prompt, ord, text, emb, ref)`,
    [campaignId, r.id, r.prompt, r.ord, r.text, rEmb, rRef],
  );
  return { campaignId, promptIds, responseIds };
}

export interface SeedJudgmentOptions {
  labelerId: string;
  count: number;
  /** Utility of response k of prompt p: labels follow Bradley–Terry, P(first wins) = σ(u_first − u_second). */
  utility: (prompt: number, response: number) => number;
  seed?: number;
  /** Also advance labels_at_last_fit (default false: the cadence counter sees the new judgments). */
  markFitted?: boolean;
}

/** Inserts `count` completed comparisons with one judgment each and bumps campaigns.label_count. */
export async function seedJudgments(db: Pool, campaign: SeededCampaign, o: SeedJudgmentOptions): Promise<string[]> {
  const rand = fixtureRng(o.seed ?? 7);
  const rows = { cmp: [] as string[], asg: [] as string[], lab: [] as string[], prompt: [] as string[] };
  const first: string[] = [];
  const second: string[] = [];
  const outcome: number[] = [];
  for (let i = 0; i < o.count; i++) {
    const p = Math.floor(rand() * campaign.promptIds.length);
    const n = campaign.responseIds[p].length;
    const a = Math.floor(rand() * n);
    let b = Math.floor(rand() * (n - 1));
    if (b >= a) b++;
    const win = rand() < 1 / (1 + Math.exp(-(o.utility(p, a) - o.utility(p, b))));
    rows.cmp.push(randomUUID());
    rows.asg.push(randomUUID());
    rows.lab.push(randomUUID());
    rows.prompt.push(campaign.promptIds[p]);
    first.push(campaign.responseIds[p][a]);
    second.push(campaign.responseIds[p][b]);
    outcome.push(win ? 1 : 0);
  }
  const c = campaign.campaignId;
  await db.query(
    `INSERT INTO comparisons (id, campaign_id, prompt_id, first_response_id, second_response_id, strategy, score, state,
       labels_required, labels_received, completed_at)
     SELECT u.id, $1, u.p, u.f, u.s, 'fixture', 0, 'complete', 1, 1, now()
     FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[]) AS u(id, p, f, s)`,
    [c, rows.cmp, rows.prompt, first, second],
  );
  await db.query(
    `INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, state, first_on_left, expires_at, finished_at)
     SELECT u.id, $1, u.cmp, $2, 'submitted', true, now(), now() FROM unnest($3::uuid[], $4::uuid[]) AS u(id, cmp)`,
    [c, o.labelerId, rows.asg, rows.cmp],
  );
  await db.query(
    // Dated an hour back: seeded judgments are history, not a crowd labeling right now (the buffer is
    // sized from the last minute's rate, jobs/buffer-target.ts).
    `INSERT INTO labels (id, campaign_id, comparison_id, assignment_id, labeler_id, choice, left_response_id,
       right_response_id, outcome, idempotency_key, created_at)
     SELECT u.id, $1, u.cmp, u.asg, $2, (CASE WHEN u.o = 1 THEN 'A' ELSE 'B' END)::"Choice", u.f, u.s, u.o, u.id::text,
            now() - interval '1 hour'
     FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::float8[]) AS u(id, cmp, asg, f, s, o)`,
    [c, o.labelerId, rows.lab, rows.cmp, rows.asg, first, second, outcome],
  );
  await db.query(
    `UPDATE campaigns SET label_count = label_count + $2,
       labels_at_last_fit = CASE WHEN $3 THEN label_count + $2 ELSE labels_at_last_fit END WHERE id = $1`,
    [c, o.count, o.markFitted ?? false],
  );
  return rows.lab;
}
