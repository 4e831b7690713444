/**
 * The batch step of AE-Borda for models that condition on demand (PosteriorConditioner): a lazy
 * greedy (Minoux's accelerated greedy) over a priority queue of prompts.
 *
 * Why it is exact. Hallucinating a pick can only shrink variances while the means stay put, so a
 * prompt's gap max_a UCB − max_a LCB never grows during a batch (ae-borda-greedy.ts makes the same
 * argument). A gap computed earlier is therefore an upper bound on the current one. The queue
 * holds every selectable prompt keyed by its last computed gap; the top entry is recomputed under
 * the current conditioning, and once the top entry is current it beats every other prompt's upper
 * bound, so it is the greedy choice over all prompts. Ties order by the original rank (larger
 * original gap first, then lower prompt index), exactly like the brute-force greedy.
 *
 * Cost: one triangular solve per arm of each prompt that reaches the top. For a model that has seen
 * many labels, a pick shrinks few other prompts' gaps by much, so a batch of 256 over 10⁵ prompts
 * re-evaluates a few hundred to a few thousand prompts, not the campaign.
 */
import { row as featureRow, selectRows } from '@borda/numeric';
import type { Posterior, PosteriorConditioner } from '@borda/reward-model';
import type { GapRanking } from '../bounds';
import type { CandidateSet } from '../types';
import type { GreedyPick } from './ae-borda-greedy';

export interface LazyGreedyResult {
  readonly picks: GreedyPick[];
  /** Prompt gap evaluations under hallucination (the work done beyond the first scoring pass). */
  readonly evaluations: number;
}

interface Entry {
  /** Position in the original ranking (the tie-break). */
  readonly rank: number;
  gap: number;
  arm: number;
  /** Number of picks conditioned on when `gap` was computed. */
  stamp: number;
}

/** Max-heap on (gap desc, rank asc). */
class EntryHeap {
  private readonly items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  private before(a: Entry, b: Entry): boolean {
    return a.gap > b.gap || (a.gap === b.gap && a.rank < b.rank);
  }

  push(entry: Entry): void {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): Entry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && this.before(items[l], items[best])) best = l;
        if (r < items.length && this.before(items[r], items[best])) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best], items[i]];
        i = best;
      }
    }
    return top;
  }
}

export function lazyHallucinatedGreedy(
  conditioner: PosteriorConditioner,
  candidates: CandidateSet,
  posterior: Posterior,
  ranking: GapRanking,
  options: { readonly beta: number; readonly batchSize: number },
): LazyGreedyResult {
  const { beta, batchSize } = options;
  const { mean, std } = posterior;
  const { offsets, features } = candidates;
  const heap = new EntryHeap();
  // The ranking is sorted already; pushing in order keeps every push O(1).
  for (let k = 0; k < ranking.order.length; k++) {
    heap.push({ rank: k, gap: ranking.gap[k], arm: ranking.ucbArm[k], stamp: 0 });
  }
  const picks: GreedyPick[] = [];
  let evaluations = 0;
  while (picks.length < batchSize && heap.size > 0) {
    const top = heap.pop() as Entry;
    const prompt = ranking.order[top.rank];
    if (top.stamp === picks.length) {
      picks.push({ prompt, arm: top.arm, gap: top.gap });
      // The last pick needs no conditioning: nothing is chosen after it.
      if (picks.length < batchSize) conditioner.addRow(featureRow(features, offsets[prompt] + top.arm));
      heap.push(top);
      continue;
    }
    const start = offsets[prompt];
    const end = offsets[prompt + 1];
    const rows = Int32Array.from({ length: end - start }, (_, i) => start + i);
    const variance = conditioner.varianceAt(selectRows(features, rows));
    evaluations++;
    let maxUcb = -Infinity;
    let maxLcb = -Infinity;
    let arm = -1;
    for (let r = start; r < end; r++) {
      // Clamped to the unconditioned σ so round-off can never let a gap grow and void the bound.
      const s = Math.min(Math.sqrt(Math.max(variance[r - start], 0)), std[r]);
      const ucb = mean[r] + beta * s;
      const lcb = mean[r] - beta * s;
      if (arm < 0 || ucb > maxUcb) {
        maxUcb = ucb;
        arm = r - start;
      }
      if (lcb > maxLcb) maxLcb = lcb;
    }
    top.gap = Math.min(maxUcb - maxLcb, top.gap);
    top.arm = arm;
    top.stamp = picks.length;
    heap.push(top);
  }
  return { picks, evaluations };
}
