/**
 * The Borda function f(x, a) = E_{a' ~ Uniform(A(x))} σ(r(x, a) − r(x, a')): the chance that response a
 * beats a uniformly random competitor of the same prompt (algorithms.md §2). It is what the Borda
 * models estimate, and since it is increasing in r, its argmax is the best response.
 *
 * Choice: the competitor ranges over all of A(x), a itself included (a self-duel counts ½), as in §2.
 * AE-Borda's selector draws the comparator from A(x) \ {a}; that expectation is
 * (|A|·f − ½)/(|A| − 1), an increasing affine map of f, so it ranks responses identically.
 */
import { sigmoid } from '@borda/numeric';

/**
 * Borda score of every arm, for rewards laid out like a CandidateSet (prompt p owns entries
 * offsets[p] .. offsets[p + 1] − 1). O(Σ |A(x)|²).
 */
export function bordaScores(rewards: ArrayLike<number>, offsets: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rewards.length);
  for (let p = 0; p + 1 < offsets.length; p++) {
    const start = offsets[p];
    const end = offsets[p + 1];
    const count = end - start;
    for (let a = start; a < end; a++) {
      const ra = rewards[a];
      if (!Number.isFinite(ra)) throw new RangeError(`bordaScores: reward of row ${a} is ${ra}, not a finite number`);
      let s = 0;
      for (let b = start; b < end; b++) s += sigmoid(ra - rewards[b]);
      out[a] = s / count;
    }
  }
  return out;
}
