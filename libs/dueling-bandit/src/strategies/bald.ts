/**
 * BALD (arXiv 1112.5745) for pairwise labels: ask the (prompt, pair) whose label the posterior
 * is most uncertain about *because of* model uncertainty, i.e. the mutual information between the
 * label and the model, H[E_s p_s] − E_s H[p_s] with p_s = σ(r_s(a) − r_s(a′)) for posterior
 * draws r_s. A pair whose draws agree on a coin flip (p_s ≈ ½ for all s) scores ~0; a pair whose
 * draws confidently disagree scores high.
 *
 * The candidates are every unordered pair of a pool of prompts (see candidatePool). Batch: the best
 * pair of each prompt first (prompts by that pair's score), then the remaining pairs by score, so
 * a prompt repeats only when the pool has fewer prompts than the batch; at most as many queries
 * as candidate pairs.
 */
import { sigmoid } from '@borda/numeric';
import type { ModelKind } from '@borda/reward-model';
import { candidateSubset } from '../candidates';
import type { Query, SelectionContext, SelectionStrategy } from '../types';
import { candidatePool } from './candidate-pool';
import { ALL_MODEL_KINDS, checkContext, integerOption, modelKindOption, numberOption, shuffledPair } from './common';

export interface BaldOptions {
  /** Joint posterior draws used to estimate the mutual information (default 32, at least 2). */
  readonly posteriorSamples?: number;
  /** Prompts in the candidate pool as a multiple of the batch size (default 3, at least 1). */
  readonly poolFactor?: number;
  /** The model trained on its labels (default 'linear-bt': BALD picks both responses). */
  readonly modelKind?: ModelKind;
}

/** Binary entropy in nats (0 at p ∈ {0, 1}). */
export function binaryEntropy(p: number): number {
  if (p <= 0 || p >= 1) return 0;
  return -p * Math.log(p) - (1 - p) * Math.log1p(-p);
}

/** Mutual information of one pair given the draws' utilities of its two responses. */
export function pairMutualInformation(samples: readonly ArrayLike<number>[], a: number, b: number): number {
  let meanP = 0;
  let meanH = 0;
  for (const s of samples) {
    const p = sigmoid(s[a] - s[b]);
    meanP += p;
    meanH += binaryEntropy(p);
  }
  meanP /= samples.length;
  meanH /= samples.length;
  // Jensen makes this ≥ 0; clamp the round-off.
  return Math.max(0, binaryEntropy(meanP) - meanH);
}

export class BaldStrategy implements SelectionStrategy {
  readonly name = 'bald' as const;
  readonly modelKind: ModelKind;
  readonly compatibleModelKinds = ALL_MODEL_KINDS;
  readonly posteriorSamples: number;
  readonly poolFactor: number;

  constructor(options: BaldOptions = {}) {
    this.posteriorSamples = integerOption(this.name, 'posteriorSamples', options.posteriorSamples, 32, 2);
    this.poolFactor = numberOption(this.name, 'poolFactor', options.poolFactor, 3, 1);
    this.modelKind = modelKindOption(this.name, options.modelKind, 'linear-bt', this.compatibleModelKinds);
  }

  /** Pair shown in random order. Score = the pair's mutual information (nats). */
  select(context: SelectionContext): Query[] {
    const selectable = checkContext(this.name, this.compatibleModelKinds, context);
    const { candidates, model, batchSize, rng } = context;
    const pool = candidatePool(selectable, batchSize, this.poolFactor, rng);
    const sub = candidateSubset(candidates, pool);
    const samples = model.sample(sub.features, this.posteriorSamples, rng);
    const triples: { slot: number; first: number; second: number; score: number }[] = [];
    for (let s = 0; s < pool.length; s++) {
      const start = sub.offsets[s];
      const m = sub.offsets[s + 1] - start;
      for (let i = 0; i < m; i++) {
        for (let j = i + 1; j < m; j++) {
          triples.push({ slot: s, first: i, second: j, score: pairMutualInformation(samples, start + i, start + j) });
        }
      }
    }
    // Ties by pool prompt index then pair, so the batch is a function of the draws alone.
    triples.sort(
      (u, v) => v.score - u.score || pool[u.slot] - pool[v.slot] || u.first - v.first || u.second - v.second,
    );
    const used = new Uint8Array(pool.length);
    const taken = new Uint8Array(triples.length);
    const chosen: (typeof triples)[number][] = [];
    for (let t = 0; t < triples.length && chosen.length < batchSize; t++) {
      if (used[triples[t].slot]) continue;
      used[triples[t].slot] = 1;
      taken[t] = 1;
      chosen.push(triples[t]);
    }
    for (let t = 0; t < triples.length && chosen.length < batchSize; t++) if (!taken[t]) chosen.push(triples[t]);
    return chosen.map(({ slot, first, second, score }) => {
      const [a, b] = shuffledPair(rng, first, second);
      return { prompt: pool[slot], first: a, second: b, score };
    });
  }
}
