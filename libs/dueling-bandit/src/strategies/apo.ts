/**
 * APO (arXiv 2402.10500): ask the (prompt, pair) whose feature difference z = φ(x, a) − φ(x, a′)
 * is least explored, (x, a, a′) = argmax ‖z‖_{V⁻¹}, jointly over every prompt and pair.
 *
 * Batch choice: when the model can whiten its features (LinearPreferenceModel.whiten), the batch is
 * APO's own rule applied sequentially with each pick hallucinated into V (apo-greedy.ts), so a batch
 * spreads over unexplored directions and a pair may repeat only if it is still the least explored.
 * Otherwise the quadratic form ‖φ(first) − φ(second)‖_{V⁻¹} alone cannot express the cross terms
 * a rank-one update needs, and a batch is the top pairs over distinct prompts: each prompt's best
 * pair, prompts ranked by it, min(batchSize, selectable prompts) queries.
 */
import { row } from '@borda/numeric';
import { isLinearPreferenceModel, type LinearPreferenceModel, type ModelKind } from '@borda/reward-model';
import type { CandidateSet, Query, SelectionContext, SelectionStrategy } from '../types';
import { apoHallucinatedGreedy } from './apo-greedy';
import { checkContext, shuffledPair } from './common';

const LINEAR_KINDS: readonly ModelKind[] = ['linear-bt'];

export function requireLinearModel(name: string, context: SelectionContext): LinearPreferenceModel {
  const { model } = context;
  if (!isLinearPreferenceModel(model) || !model.theta) {
    throw new TypeError(
      `${name} needs a linear Bradley–Terry model exposing differenceNorm and theta; got a '${model.kind}' model without them`,
    );
  }
  return model;
}

/** The pair (i < j) of a prompt with the largest ‖z‖_{V⁻¹} (first found on ties). */
export function widestPair(
  model: LinearPreferenceModel,
  candidates: CandidateSet,
  prompt: number,
): { first: number; second: number; norm: number } {
  const start = candidates.offsets[prompt];
  const end = candidates.offsets[prompt + 1];
  let best = { first: -1, second: -1, norm: -Infinity };
  for (let i = start; i < end; i++) {
    const a = row(candidates.features, i);
    for (let j = i + 1; j < end; j++) {
      const norm = model.differenceNorm(a, row(candidates.features, j));
      if (best.first < 0 || norm > best.norm) best = { first: i - start, second: j - start, norm };
    }
  }
  return best;
}

export class ApoStrategy implements SelectionStrategy {
  readonly name = 'apo' as const;
  readonly modelKind: ModelKind = 'linear-bt';
  readonly compatibleModelKinds = LINEAR_KINDS;

  /**
   * Scans every pair of every selectable prompt: O(arms · d² + Σ_x |A(x)|² · d) with whitening,
   * O(Σ_x |A(x)|² d²) through differenceNorm alone.
   * The pair is shown in a random order (the rule is symmetric). Score = ‖z‖_{V⁻¹}.
   */
  select(context: SelectionContext): Query[] {
    const selectable = checkContext(this.name, this.compatibleModelKinds, context);
    const model = requireLinearModel(this.name, context);
    const { candidates, batchSize, rng } = context;
    if (model.whiten) {
      const whitened = model.whiten(candidates.features);
      return apoHallucinatedGreedy(whitened, candidates, selectable, batchSize).map(
        ({ prompt, first, second, norm }) => {
          const [a, b] = shuffledPair(rng, first, second);
          return { prompt, first: a, second: b, score: norm };
        },
      );
    }
    const best = Array.from(selectable, (prompt) => ({ prompt, ...widestPair(model, candidates, prompt) }));
    best.sort((u, v) => v.norm - u.norm || u.prompt - v.prompt);
    return best.slice(0, batchSize).map(({ prompt, first, second, norm }) => {
      const [a, b] = shuffledPair(rng, first, second);
      return { prompt, first: a, second: b, score: norm };
    });
  }
}
