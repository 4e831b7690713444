/**
 * A promise, made by whoever owns a feature matrix, that its values never change again (a campaign's
 * candidate set, a simulation environment's arms). Code that derives something expensive from a matrix
 * (a feature map of 80,000 arms) may then keep the result for as long as the matrix lives and serve
 * it again, instead of recomputing it on every call. Marking is explicit because a matrix whose
 * buffer is reused (a hallucination pool, a scratch batch) must never be served from a stale result.
 */
import type { FeatureMatrix } from './matrix';

const immutable = new WeakSet<FeatureMatrix>();

/** Declares that `matrix.data` is never written again; returns the matrix. */
export function markImmutable<M extends FeatureMatrix>(matrix: M): M {
  immutable.add(matrix);
  return matrix;
}

export function isImmutable(matrix: FeatureMatrix): boolean {
  return immutable.has(matrix);
}

/**
 * If `view` is exactly row r of `matrix`, an immutable one (a subarray of its data, as `row(m, r)`
 * returns), that row's index; otherwise -1. Lets per-row derivations find a cached row.
 */
export function immutableRowIndex(matrix: FeatureMatrix, view: ArrayLike<number>): number {
  if (!immutable.has(matrix) || !ArrayBuffer.isView(view)) return -1;
  const data = matrix.data;
  const typed = view as unknown as {
    buffer: ArrayBufferLike;
    byteOffset: number;
    length: number;
    BYTES_PER_ELEMENT: number;
  };
  if (
    typed.buffer !== data.buffer ||
    typed.BYTES_PER_ELEMENT !== data.BYTES_PER_ELEMENT ||
    typed.length !== matrix.cols
  ) {
    return -1;
  }
  const element = (typed.byteOffset - data.byteOffset) / data.BYTES_PER_ELEMENT;
  if (element < 0 || element % matrix.cols !== 0) return -1;
  const r = element / matrix.cols;
  return r < matrix.rows ? r : -1;
}
