/**
 * A synthetic preference problem with a known utility, and simulated labelers who answer through
 * the real labeling API by drawing Bradley–Terry judgments from it.
 *
 * The problem is tabular (every (prompt, response) arm has its own embedding direction), so what a
 * campaign learns about one arm says nothing about another and the label budget must be spent
 * well: 10 prompts × 10 responses with N(0, 1.5²) utilities. With 300 labels in batches of 4 the
 * simulator puts AE-Borda's SubOpt_mean at 0.27, 0.40, 0.36, 0.33 and 0.34 (problems 2, 4, 5, 6, 7;
 * means of 10 seeds, run-to-run sd 0.1–0.2) and uniform's at 0.85, 0.89, 0.77, 0.89 and 0.87 (sd 0.2–0.35).
 */
import { Rng } from '@borda/numeric';
import type { TestApp } from './harness';

export interface SyntheticProblem {
  readonly prompts: number;
  readonly responses: number;
  /** True utility by response external id (`p<i>-r<j>`). */
  readonly utility: ReadonlyMap<string, number>;
  readonly jsonl: string;
  /** Best utility per prompt external id. */
  readonly best: ReadonlyMap<string, number>;
}

export function tabularProblem(seed: number, prompts = 10, responses = 10, scale = 1.5): SyntheticProblem {
  const rng = new Rng(seed);
  const dimension = prompts * responses;
  const utility = new Map<string, number>();
  const best = new Map<string, number>();
  const lines: string[] = [];
  for (let p = 0; p < prompts; p++) {
    const promptEmbedding = new Array<number>(dimension).fill(0);
    for (let a = 0; a < responses; a++) promptEmbedding[p * responses + a] = 1;
    const list = [];
    let top = -Infinity;
    for (let a = 0; a < responses; a++) {
      const embedding = new Array<number>(dimension).fill(0);
      embedding[p * responses + a] = 1;
      const u = scale * rng.normal();
      utility.set(`p${p}-r${a}`, u);
      top = Math.max(top, u);
      list.push({ id: `p${p}-r${a}`, text: `Answer ${a} to question ${p}`, embedding });
    }
    best.set(`p${p}`, top);
    lines.push(JSON.stringify({ id: `p${p}`, prompt: `Question ${p}`, embedding: promptEmbedding, responses: list }));
  }
  return { prompts, responses, utility, best, jsonl: lines.join('\n') + '\n' };
}

/** Database response id → external id, for mapping what `next` shows back to the true utility. */
export async function responseExternalIds(app: TestApp, campaignId: string): Promise<Map<string, string>> {
  const { rows } = await app.db.query<{ id: string; external_id: string }>(
    'SELECT id, external_id FROM responses WHERE campaign_id = $1',
    [campaignId],
  );
  return new Map(rows.map((r) => [r.id, r.external_id]));
}

/**
 * Labels until the campaign's budget is used: each labeler in turn leases the next comparison and
 * answers A with probability σ(u_left − u_right). Waits (briefly) whenever the buffer is being refilled.
 */
export async function labelWithBradleyTerry(
  app: TestApp,
  campaignId: string,
  labelerTokens: readonly string[],
  problem: SyntheticProblem,
  seed: number,
  options: { timeoutMs?: number; pauseEvery?: number } = {},
): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 240_000;
  const rng = new Rng(seed);
  const externalIds = await responseExternalIds(app, campaignId);
  const u = (responseId: string) => problem.utility.get(externalIds.get(responseId)!)!;
  const deadline = Date.now() + timeoutMs;
  let stored = 0;
  for (let turn = 0; ; turn++) {
    if (Date.now() > deadline) throw new Error(`labeling did not finish in ${timeoutMs} ms (${stored} stored)`);
    const token = labelerTokens[turn % labelerTokens.length];
    const next = await app.post(`/campaigns/${campaignId}/next`, {}, token);
    if (next.status === 409 && next.body.code === 'CAMPAIGN_NOT_ACTIVE') return stored;
    if (next.status !== 200) throw new Error(`next failed: ${next.status} ${next.text}`);
    if (next.body.assignment === null) {
      if (next.body.reason === 'budget_reached') return stored;
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    const { id, left, right } = next.body.assignment;
    const pLeft = 1 / (1 + Math.exp(-(u(left.id) - u(right.id))));
    const choice = rng.next() < pLeft ? 'A' : 'B';
    const submit = await app.post(
      `/assignments/${id}/submit`,
      { choice, idempotencyKey: `bt-${campaignId}-${turn}` },
      token,
    );
    if (submit.status !== 201 && submit.status !== 200)
      throw new Error(`submit failed: ${submit.status} ${submit.text}`);
    stored++;
    if (submit.body.campaignCompleted) return stored;
    if (options.pauseEvery && stored % options.pauseEvery === 0) await settle(app, campaignId, stored, deadline);
  }
}

/**
 * Waits until the workers have caught up with `labels` judgments: a model version fitted on at
 * least that many and no job of the campaign queued or running (the policy and the refill are done).
 * Human labelers take seconds per judgment, which gives the workers this time; simulated ones
 * answer in milliseconds, and on a loaded machine would otherwise measure CPU scheduling instead of
 * the strategy.
 */
async function settle(app: TestApp, campaignId: string, labels: number, deadline: number): Promise<void> {
  for (;;) {
    const { rows } = await app.db.query<{ fitted: number | null; busy: number }>(
      `SELECT (SELECT max(label_count) FROM model_versions WHERE campaign_id = $1) AS fitted,
              (SELECT count(*)::int FROM job_runs WHERE campaign_id = $1 AND state IN ('queued', 'active')) AS busy`,
      [campaignId],
    );
    if ((rows[0].fitted ?? 0) >= labels && rows[0].busy === 0) return;
    if (Date.now() > deadline) throw new Error(`the workers did not catch up with ${labels} labels in time`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
