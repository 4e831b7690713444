/** The candidate pool of the pool-based strategies (bald, ae-neural). */
import type { Rng } from '@borda/numeric';
import { uniformPrompts } from './common';

/**
 * ceil(poolFactor × batchSize) distinct prompts drawn uniformly from `selectable`, or all of them
 * (in index order) when there are no more than that.
 */
export function candidatePool(selectable: Int32Array, batchSize: number, poolFactor: number, rng: Rng): Int32Array {
  const size = Math.ceil(poolFactor * batchSize);
  if (selectable.length <= size) return selectable;
  return uniformPrompts(selectable, size, rng);
}
