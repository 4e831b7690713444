/**
 * The gap rule on a posterior that only knows utility DIFFERENCES within a prompt (Bradley–Terry,
 * preferential GP): labels say which response is better, never how good a prompt's responses are in
 * absolute terms, so each arm's marginal std keeps the prompt's unidentified offset and
 * max UCB − max LCB stays wide on every prompt, however well its order is known. The gap is taken on
 * differences instead (docs/algorithms.md §10):
 *
 *   lead(x) = argmax_a μ(x, a),   u_a = μ_a − μ_lead + β·sd(u(a) − u(lead)),   gap(x) = max_{a ≠ lead} u_a,
 *
 * the most the greedy pick can plausibly lose on x. The query is (lead, argmax_a u_a): the rival most
 * plausibly better than the leader, so its label either overturns the leader or closes the gap.
 *
 * sd(u(a) − u(lead)) ≤ σ_a + σ_lead, so each prompt first gets that cheap upper bound; prompts are then
 * scored exactly (one difference variance per rival) in decreasing bound order, stopping once the next
 * bound is below the batch's weakest exact gap: the result is exact, and on 10⁵ prompts only the few
 * near the top pay for difference variances.
 */
import type { Posterior } from '@borda/reward-model';
import type { DifferenceVariance } from './rival';

export interface RelativeGapPick {
  readonly prompt: number;
  /** Global rows of the leader and of its most plausible better rival. */
  readonly leadRow: number;
  readonly rivalRow: number;
  /** μ_rival − μ_lead + β·sd(difference): the plausible loss of the greedy pick. */
  readonly gap: number;
}

function leaderOf(mean: ArrayLike<number>, start: number, end: number): number {
  let lead = start;
  for (let r = start + 1; r < end; r++) if (mean[r] > mean[lead]) lead = r;
  return lead;
}

/** The exact relative gap of one prompt, with the rival that attains it (rows in [start, end)). */
export function relativeGap(
  posterior: Posterior,
  variance: DifferenceVariance,
  start: number,
  end: number,
  beta: number,
): { leadRow: number; rivalRow: number; gap: number } {
  const { mean } = posterior;
  const lead = leaderOf(mean, start, end);
  let rival = -1;
  let gap = -Infinity;
  for (let r = start; r < end; r++) {
    if (r === lead) continue;
    const u = mean[r] - mean[lead] + beta * Math.sqrt(Math.max(0, variance(lead, r)));
    if (u > gap) {
      gap = u;
      rival = r;
    }
  }
  return { leadRow: lead, rivalRow: rival, gap };
}

/**
 * The `count` prompts with the largest relative gap (best first; fewer when fewer are selectable),
 * each with its leader and rival. `selectable` lists the prompts with at least two responses.
 */
export function topRelativeGaps(
  posterior: Posterior,
  variance: DifferenceVariance,
  offsets: Int32Array,
  selectable: ArrayLike<number>,
  beta: number,
  count: number,
): RelativeGapPick[] {
  const { mean, std } = posterior;
  const bounds = Array.from(selectable, (prompt) => {
    const start = offsets[prompt];
    const end = offsets[prompt + 1];
    const lead = leaderOf(mean, start, end);
    let bound = -Infinity;
    for (let r = start; r < end; r++) {
      if (r !== lead) bound = Math.max(bound, mean[r] - mean[lead] + beta * (std[r] + std[lead]));
    }
    return { prompt, bound };
  });
  // Ties in the bound keep prompt order (a stable sort), so the result is deterministic.
  bounds.sort((a, b) => b.bound - a.bound);
  const picks: RelativeGapPick[] = [];
  for (const { prompt, bound } of bounds) {
    if (picks.length >= count && bound <= picks[picks.length - 1].gap) break;
    const exact = relativeGap(posterior, variance, offsets[prompt], offsets[prompt + 1], beta);
    picks.push({ prompt, ...exact });
    picks.sort((a, b) => b.gap - a.gap || a.prompt - b.prompt);
    if (picks.length > count) picks.pop();
  }
  return picks;
}
