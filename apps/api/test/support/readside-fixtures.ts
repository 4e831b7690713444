/**
 * Read-side fixtures: campaigns with prompts, responses, comparisons, assignments, labels, model
 * versions and policy versions written straight into the test database with SQL, so the model,
 * export and metrics routes are tested without depending on the import/labeling/learning jobs.
 */
import { randomUUID } from 'node:crypto';
import type { TestApp, TestUser } from './harness';

export type SeedChoice = 'A' | 'B' | 'tie' | 'both_bad' | 'skip';

export interface SeededPrompt {
  id: string;
  externalId: string;
  text: string | null;
  messages: { role: string; content: string }[] | null;
  responseIds: string[];
  responseTexts: string[];
}

export interface SeededCampaign {
  id: string;
  ownerId: string;
  prompts: SeededPrompt[];
}

/** An active campaign; prompt 1 is a conversation (messages, no text), the others plain text. */
export async function seedCampaign(
  app: TestApp,
  owner: TestUser,
  options: { prompts?: number; responses?: number; labelers?: TestUser[]; name?: string } = {},
): Promise<SeededCampaign> {
  const id = randomUUID();
  const promptCount = options.prompts ?? 4;
  const responseCount = options.responses ?? 3;
  await app.db.query(
    `INSERT INTO campaigns (id, owner_id, name, status, strategy, model_kind, budget, prompt_count, response_count, updated_at)
     VALUES ($1, $2, $3, 'active', 'ae-borda', 'borda-gp', 100000, $4, $5, now())`,
    [id, owner.id, options.name ?? 'Read side', promptCount, promptCount * responseCount],
  );
  const prompts: SeededPrompt[] = [];
  for (let i = 0; i < promptCount; i++) {
    const conversation = i === 1;
    const prompt: SeededPrompt = {
      id: randomUUID(),
      externalId: `p${i}`,
      text: conversation ? null : `Prompt ${i}: explain topic ${i}`,
      messages: conversation
        ? [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: `Question ${i}?` },
          ]
        : null,
      responseIds: Array.from({ length: responseCount }, () => randomUUID()),
      responseTexts: Array.from({ length: responseCount }, (_, j) => `p${i}-r${j} "quoted"\nline`),
    };
    await app.db.query(
      `INSERT INTO prompts (id, campaign_id, external_id, ordinal, text, messages) VALUES ($1, $2, $3, $4, $5, $6)`,
      [prompt.id, id, prompt.externalId, i, prompt.text, prompt.messages ? JSON.stringify(prompt.messages) : null],
    );
    await app.db.query(
      `INSERT INTO responses (id, campaign_id, prompt_id, ordinal, text, external_id)
       SELECT r.id, $1, $2, r.ord - 1, r.text, 'r' || (r.ord - 1) FROM unnest($3::uuid[], $4::text[]) WITH ORDINALITY AS r(id, text, ord)`,
      [id, prompt.id, prompt.responseIds, prompt.responseTexts],
    );
    prompts.push(prompt);
  }
  for (const labeler of options.labelers ?? []) {
    await app.db.query('INSERT INTO campaign_labelers (campaign_id, user_id) VALUES ($1, $2)', [id, labeler.id]);
  }
  return { id, ownerId: owner.id, prompts };
}

export interface JudgmentSpec {
  prompt: number;
  /** Response ordinals of the comparison's first and second response. */
  first: number;
  second: number;
  labeler: TestUser;
  choice: SeedChoice;
  /** Default true: the first response was shown on the left (A). */
  firstOnLeft?: boolean;
  strength?: number | null;
  /** Specs with the same key share one comparison (repeated judgments); default: a comparison each. */
  key?: string;
}

/** 1 first preferred, 0 second, 0.5 tie, null both_bad/skip (the labels.outcome convention). */
export function outcomeOf(choice: SeedChoice, firstOnLeft: boolean): number | null {
  if (choice === 'tie') return 0.5;
  if (choice === 'A') return firstOnLeft ? 1 : 0;
  if (choice === 'B') return firstOnLeft ? 0 : 1;
  return null;
}

/**
 * Stores comparisons, assignments and labels in three statements (fast for thousands). Labels get
 * increasing timestamps, three per millisecond, so exports must break timestamp ties by id.
 */
export async function seedJudgments(
  app: TestApp,
  campaign: SeededCampaign,
  specs: JudgmentSpec[],
  options: { modelVersionId?: string } = {},
): Promise<{ comparisonIds: string[]; labelIds: string[] }> {
  const comparisons = new Map<string, { id: string; spec: JudgmentSpec; labels: number }>();
  const comparisonOf = specs.map((spec, i) => {
    const key = spec.key ?? `#${i}`;
    let c = comparisons.get(key);
    if (!c) comparisons.set(key, (c = { id: randomUUID(), spec, labels: 0 }));
    c.labels++;
    return c.id;
  });
  const cs = [...comparisons.values()];
  const resp = (s: JudgmentSpec, ordinal: number) => campaign.prompts[s.prompt].responseIds[ordinal];
  await app.db.query(
    `INSERT INTO comparisons (id, campaign_id, prompt_id, first_response_id, second_response_id, strategy, score,
       model_version_id, state, labels_required, labels_received, completed_at)
     SELECT c.id, $1, c.prompt, c.first, c.second, 'ae-borda', c.score, $6, 'complete', c.n, c.n, now()
     FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $7::float8[], $8::int[]) AS c(id, prompt, first, second, score, n)`,
    [
      campaign.id,
      cs.map((c) => c.id),
      cs.map((c) => campaign.prompts[c.spec.prompt].id),
      cs.map((c) => resp(c.spec, c.spec.first)),
      cs.map((c) => resp(c.spec, c.spec.second)),
      options.modelVersionId ?? null,
      cs.map((_, i) => 0.5 + i / 1000),
      cs.map((c) => c.labels),
    ],
  );
  const assignmentIds = specs.map(() => randomUUID());
  const labelIds = specs.map(() => randomUUID());
  const base = Date.now() - 3_600_000;
  const at = specs.map((_, i) => new Date(base + Math.floor(i / 3)).toISOString());
  const left = specs.map((s) => ((s.firstOnLeft ?? true) ? resp(s, s.first) : resp(s, s.second)));
  const right = specs.map((s) => ((s.firstOnLeft ?? true) ? resp(s, s.second) : resp(s, s.first)));
  await app.db.query(
    `INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, state, first_on_left, leased_at, expires_at, finished_at)
     SELECT a.id, $1, a.comparison, a.labeler, a.state::"AssignmentState", a.fol, a.at, a.at + interval '5 minutes', a.at
     FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::bool[], $7::timestamp[]) AS a(id, comparison, labeler, state, fol, at)`,
    [
      campaign.id,
      assignmentIds,
      comparisonOf,
      specs.map((s) => s.labeler.id),
      specs.map((s) => (s.choice === 'skip' ? 'skipped' : 'submitted')),
      specs.map((s) => s.firstOnLeft ?? true),
      at,
    ],
  );
  await app.db.query(
    `INSERT INTO labels (id, campaign_id, comparison_id, assignment_id, labeler_id, choice, left_response_id,
       right_response_id, outcome, strength, rationale, skip_reason, time_taken_ms, idempotency_key, created_at)
     SELECT l.id, $1, l.comparison, l.assignment, l.labeler, l.choice::"Choice", l.lft, l.rgt, l.outcome, l.strength,
       CASE WHEN l.choice IN ('A', 'B') THEN 'because' END, CASE WHEN l.choice = 'skip' THEN 'unsure' END,
       1000 + l.ord, 'seed-' || l.id, l.at
     FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::uuid[], $8::uuid[], $9::float8[],
       $10::int[], $11::timestamp[]) WITH ORDINALITY AS l(id, comparison, assignment, labeler, choice, lft, rgt, outcome, strength, at, ord)`,
    [
      campaign.id,
      labelIds,
      comparisonOf,
      assignmentIds,
      specs.map((s) => s.labeler.id),
      specs.map((s) => s.choice),
      left,
      right,
      specs.map((s) => outcomeOf(s.choice, s.firstOnLeft ?? true)),
      specs.map((s) => (s.choice === 'A' || s.choice === 'B' ? (s.strength ?? null) : null)),
      at,
    ],
  );
  await app.db.query(`UPDATE campaigns SET label_count = label_count + $2 WHERE id = $1`, [
    campaign.id,
    specs.filter((s) => s.choice !== 'skip').length,
  ]);
  return { comparisonIds: cs.map((c) => c.id), labelIds };
}

/** A model version with ModelMetrics and (unless gap is null) a CertificateView. */
export async function seedModelVersion(
  app: TestApp,
  campaign: SeededCampaign,
  options: { version: number; labelCount: number; gap: number | null; kind?: string },
): Promise<string> {
  const id = randomUUID();
  const kind = options.kind ?? 'borda-gp';
  const metrics = {
    modelKind: kind,
    trainSize: Math.floor(options.labelCount * 0.8),
    testSize: options.labelCount - Math.floor(options.labelCount * 0.8),
    heldOutAccuracy: 0.7,
    logLoss: 0.6,
    brier: 0.2,
    ece: 0.05,
    calibration: [{ lower: 0, upper: 1, count: 10, meanPredicted: 0.6, observedRate: 0.55 }],
    probabilityScale: 1.2,
    fitMs: 12,
  };
  const certificate =
    options.gap === null
      ? null
      : {
          gap: options.gap,
          promptId: campaign.prompts[0].id,
          meanGap: options.gap / 2,
          units: 'borda',
          beta: 2,
          prompts: campaign.prompts.length,
          labelCount: options.labelCount,
        };
  await app.db.query(
    `INSERT INTO model_versions (id, campaign_id, version, kind, label_count, metrics, certificate, parameters)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      campaign.id,
      options.version,
      kind,
      options.labelCount,
      JSON.stringify(metrics),
      certificate ? JSON.stringify(certificate) : null,
      JSON.stringify({ kind, weights: [1, 2, 3] }),
    ],
  );
  return id;
}

export interface SeededEntry {
  promptId: string;
  greedy: string;
  pessimistic: string;
  lcbMargin: number;
  gap: number;
  means: number[];
}

/** A policy version with an entry per prompt; scores are deterministic in (prompt, response). */
export async function seedPolicy(
  app: TestApp,
  campaign: SeededCampaign,
  modelVersionId: string,
  options: { version: number; labelCount: number; dpo?: boolean },
): Promise<SeededEntry[]> {
  const id = randomUUID();
  const summary = {
    prompts: campaign.prompts.length,
    confidentPrompts: 0,
    agreement: { pessimistic: 1, soft: 1, dpo: options.dpo ? 1 : null },
    softTemperature: 0.1,
    beta: 2,
    dpo: null,
  };
  await app.db.query(
    `INSERT INTO policy_versions (id, campaign_id, version, model_version_id, label_count, summary) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, campaign.id, options.version, modelVersionId, options.labelCount, JSON.stringify(summary)],
  );
  const entries: SeededEntry[] = [];
  for (const [p, prompt] of campaign.prompts.entries()) {
    const scores = prompt.responseIds.map((responseId, j) => {
      const mean = Math.sin(p * 7 + j * 3);
      const std = 0.05 + 0.1 * ((p + j) % 3);
      return { responseId, ordinal: j, mean, std, lcb: mean - 2 * std, ucb: mean + 2 * std, softProbability: 1 / 3 };
    });
    const responses = scores.map((s) => ({ ...s, dpoProbability: options.dpo ? 1 / 3 : null }));
    const greedy = scores.reduce((a, b) => (b.mean > a.mean ? b : a));
    const pessimistic = scores.reduce((a, b) => (b.lcb > a.lcb ? b : a));
    const lcbMargin = greedy.lcb - Math.max(...scores.filter((s) => s !== greedy).map((s) => s.ucb));
    const gap = Math.max(...scores.map((s) => s.ucb)) - Math.max(...scores.map((s) => s.lcb));
    await app.db.query(
      `INSERT INTO policy_entries (policy_version_id, campaign_id, prompt_id, greedy_response_id, pessimistic_response_id,
         soft_response_id, dpo_response_id, mean, std, lcb, ucb, lcb_margin, gap, responses)
       VALUES ($1, $2, $3, $4, $5, $4, $6, $7, $8, $9, $10, $11, $12, $13)`,
      // prettier-ignore
      [id, campaign.id, prompt.id, greedy.responseId, pessimistic.responseId, options.dpo ? greedy.responseId : null,
        greedy.mean, greedy.std, greedy.lcb, greedy.ucb, lcbMargin, gap, JSON.stringify(responses)],
    );
    const means = scores.map((s) => s.mean);
    entries.push({
      promptId: prompt.id,
      greedy: greedy.responseId,
      pessimistic: pessimistic.responseId,
      lcbMargin,
      gap,
      means,
    });
  }
  return entries;
}
