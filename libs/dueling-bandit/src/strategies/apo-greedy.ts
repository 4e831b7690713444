/**
 * APO's batch with hallucination: pick argmax ‖z‖_{V⁻¹} over every (prompt, pair), add zzᵀ to V as
 * if the label had arrived (the design matrix does not depend on the outcome), repeat.
 *
 * Works in whitened coordinates u = L⁻¹φ (V = LLᵀ): there V⁻¹ is the identity, and after picks
 * z₁ … z_t it is I − Σ_h g_h g_hᵀ with g = M z / sqrt(1 + zᵀ M z) (Sherman–Morrison, M the current
 * inverse). A pick therefore lowers every pair's squared norm by (g·u_i − g·u_j)²: O(arms · d) to
 * project the arms on g, O(pairs) to update the norms — no d × d matrix per pick.
 */
import type { FeatureMatrix } from '@borda/numeric';
import type { CandidateSet } from '../types';

export interface ApoPick {
  readonly prompt: number;
  /** Local response indices, first < second. */
  readonly first: number;
  readonly second: number;
  /** ‖z‖_{V⁻¹} under the hallucinated V when the pair was chosen. */
  readonly norm: number;
}

/**
 * `whitened` holds one row per arm of `candidates` (same order). Only `prompts` are searched.
 * Ties go to the lowest prompt, then the lowest (first, second).
 */
export function apoHallucinatedGreedy(
  whitened: FeatureMatrix,
  candidates: CandidateSet,
  prompts: ArrayLike<number>,
  batchSize: number,
): ApoPick[] {
  const d = whitened.cols;
  const u = whitened.data;
  const pairPrompt: number[] = [];
  const pairA: number[] = [];
  const pairB: number[] = [];
  for (let k = 0; k < prompts.length; k++) {
    const p = prompts[k];
    for (let i = candidates.offsets[p]; i < candidates.offsets[p + 1]; i++) {
      for (let j = i + 1; j < candidates.offsets[p + 1]; j++) {
        pairPrompt.push(p);
        pairA.push(i);
        pairB.push(j);
      }
    }
  }
  const pairs = pairPrompt.length;
  const squared = new Float64Array(pairs);
  for (let q = 0; q < pairs; q++) {
    const a = pairA[q] * d;
    const b = pairB[q] * d;
    let s = 0;
    for (let k = 0; k < d; k++) {
      const t = u[a + k] - u[b + k];
      s += t * t;
    }
    squared[q] = s;
  }
  const directions: Float64Array[] = [];
  const projection = new Float64Array(whitened.rows);
  const picks: ApoPick[] = [];
  while (picks.length < batchSize && pairs > 0) {
    let best = 0;
    for (let q = 1; q < pairs; q++) if (squared[q] > squared[best]) best = q;
    const p = pairPrompt[best];
    picks.push({
      prompt: p,
      first: pairA[best] - candidates.offsets[p],
      second: pairB[best] - candidates.offsets[p],
      norm: Math.sqrt(Math.max(squared[best], 0)),
    });
    if (picks.length === batchSize) break;
    // g = M z / sqrt(1 + zᵀMz), M = I − Σ g_h g_hᵀ.
    const z = new Float64Array(d);
    for (let k = 0; k < d; k++) z[k] = u[pairA[best] * d + k] - u[pairB[best] * d + k];
    const g = z.slice();
    for (const h of directions) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += h[k] * z[k];
      for (let k = 0; k < d; k++) g[k] -= dot * h[k];
    }
    let zMz = 0;
    for (let k = 0; k < d; k++) zMz += z[k] * g[k];
    const scale = 1 / Math.sqrt(1 + Math.max(zMz, 0));
    for (let k = 0; k < d; k++) g[k] *= scale;
    directions.push(g);
    // Only the arms of searched prompts are ever read.
    for (let k = 0; k < prompts.length; k++) {
      const prompt = prompts[k];
      for (let r = candidates.offsets[prompt]; r < candidates.offsets[prompt + 1]; r++) {
        let dot = 0;
        const o = r * d;
        for (let c = 0; c < d; c++) dot += g[c] * u[o + c];
        projection[r] = dot;
      }
    }
    for (let q = 0; q < pairs; q++) {
      const t = projection[pairA[q]] - projection[pairB[q]];
      squared[q] -= t * t;
    }
  }
  return picks;
}
