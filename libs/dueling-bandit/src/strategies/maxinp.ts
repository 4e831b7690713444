/**
 * MaxInP (Saha, NeurIPS 2021), contextual: on a uniformly random prompt, drop the responses that
 * are confidently beaten and ask the most uncertain pair among the rest.
 *
 * Response i survives when for every j: (φ_i − φ_j)ᵀθ̂ + β‖φ_i − φ_j‖_{V⁻¹} ≥ 0. The linear
 * term is read as μ_i − μ_j from model.predict, which equals (φ_i − φ_j)ᵀθ̂ for a linear model and
 * stays correct when the model applies a feature map. Choice: when only one response survives
 * (it is confidently best), it is paired with its most uncertain competitor.
 */
import { row } from '@borda/numeric';
import type { ModelKind } from '@borda/reward-model';
import { candidateSubset } from '../candidates';
import type { Query, SelectionContext, SelectionStrategy } from '../types';
import { requireLinearModel } from './apo';
import { checkContext, distinctPrompts, numberOption, shuffledPair, uniformPrompts } from './common';

const LINEAR_KINDS: readonly ModelKind[] = ['linear-bt'];

export interface MaxInPOptions {
  /** Confidence width β of the elimination test (default 2). */
  readonly beta?: number;
}

export class MaxInPStrategy implements SelectionStrategy {
  readonly name = 'maxinp' as const;
  readonly modelKind: ModelKind = 'linear-bt';
  readonly compatibleModelKinds = LINEAR_KINDS;
  readonly beta: number;

  constructor(options: MaxInPOptions = {}) {
    this.beta = numberOption(this.name, 'beta', options.beta, 2);
  }

  /** Prompts as in `uniform`; pair shown in random order. Score = ‖z‖_{V⁻¹} of the pair. */
  select(context: SelectionContext): Query[] {
    const selectable = checkContext(this.name, this.compatibleModelKinds, context);
    const model = requireLinearModel(this.name, context);
    const { candidates, batchSize, rng } = context;
    const prompts = uniformPrompts(selectable, batchSize, rng);
    const { unique, slot } = distinctPrompts(prompts);
    const sub = candidateSubset(candidates, unique);
    const { mean } = model.predict(sub.features);
    const pairs = Array.from(unique, (_, s) => {
      const start = sub.offsets[s];
      const m = sub.offsets[s + 1] - start;
      const norm = new Float64Array(m * m);
      for (let i = 0; i < m; i++) {
        for (let j = i + 1; j < m; j++) {
          const v = model.differenceNorm(row(sub.features, start + i), row(sub.features, start + j));
          norm[i * m + j] = v;
          norm[j * m + i] = v;
        }
      }
      const survivors = survivingArms(mean, norm, start, m, this.beta);
      return mostUncertainPair(norm, m, survivors);
    });
    return Array.from(prompts, (prompt, k) => {
      const { first, second, norm } = pairs[slot[k]];
      const [a, b] = shuffledPair(rng, first, second);
      return { prompt, first: a, second: b, score: norm };
    });
  }
}

/** Local indices of the responses not confidently beaten by any other (never empty: the best mean survives). */
export function survivingArms(
  mean: ArrayLike<number>,
  norm: Float64Array,
  start: number,
  m: number,
  beta: number,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    let ok = true;
    for (let j = 0; j < m && ok; j++) {
      if (j !== i && mean[start + i] - mean[start + j] + beta * norm[i * m + j] < 0) ok = false;
    }
    if (ok) out.push(i);
  }
  return out;
}

function mostUncertainPair(
  norm: Float64Array,
  m: number,
  survivors: number[],
): { first: number; second: number; norm: number } {
  let best = { first: -1, second: -1, norm: -Infinity };
  // Only a NaN posterior can empty the set; then every response stays in play.
  if (survivors.length === 0) survivors = Array.from({ length: m }, (_, i) => i);
  if (survivors.length >= 2) {
    for (let u = 0; u < survivors.length; u++) {
      for (let v = u + 1; v < survivors.length; v++) {
        const value = norm[survivors[u] * m + survivors[v]];
        if (best.first < 0 || value > best.norm) best = { first: survivors[u], second: survivors[v], norm: value };
      }
    }
    return best;
  }
  const i = survivors[0];
  for (let j = 0; j < m; j++) {
    if (j !== i && (best.first < 0 || norm[i * m + j] > best.norm))
      best = { first: i, second: j, norm: norm[i * m + j] };
  }
  return best;
}
