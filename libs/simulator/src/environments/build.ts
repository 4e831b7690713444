/** Shared construction helpers for environments built from per-prompt arrays. */
import type { Matrix } from '@borda/numeric';
import { zeros } from '@borda/numeric';

/** Affine map of `values` onto [lo, hi] (a constant vector maps to the midpoint). */
export function rescale(values: Float64Array, lo: number, hi: number): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Float64Array(values.length);
  const span = max - min;
  for (let i = 0; i < values.length; i++) {
    out[i] = span > 0 ? lo + ((values[i] - min) / span) * (hi - lo) : (lo + hi) / 2;
  }
  return out;
}

/** Offsets for `prompts` prompts of `responses` responses each. */
export function uniformOffsets(prompts: number, responses: number): Int32Array {
  const offsets = new Int32Array(prompts + 1);
  for (let p = 0; p <= prompts; p++) offsets[p] = p * responses;
  return offsets;
}

/** A rows × cols matrix filled row by row by `fill(row, out)`. */
export function buildRows(rows: number, cols: number, fill: (row: number, out: Float64Array) => void): Matrix {
  const m = zeros(rows, cols);
  for (let i = 0; i < rows; i++) fill(i, m.data.subarray(i * cols, (i + 1) * cols));
  return m;
}

/** `n` evenly spaced points from lo to hi inclusive. */
export function linspace(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1);
  return out;
}

export function requireInteger(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  return value;
}

export function requirePositive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}
