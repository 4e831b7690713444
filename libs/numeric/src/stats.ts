/** Small statistics helpers for metrics and reports. */

export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Sample standard deviation (n − 1 in the denominator). */
export function sampleStd(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

// Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Critical value of Student's t for a two-sided 95% interval. */
export function studentT95(degreesOfFreedom: number): number {
  if (degreesOfFreedom < 1) return Infinity;
  if (degreesOfFreedom <= 30) return T975[degreesOfFreedom - 1];
  return 1.96 + 2.4 / degreesOfFreedom; // close to the exact quantile past 30 d.o.f.
}

export interface MeanInterval {
  mean: number;
  /** Half-width of the 95% confidence interval of the mean (t-based). */
  halfWidth: number;
  low: number;
  high: number;
  n: number;
}

export function meanConfidence95(xs: ArrayLike<number>): MeanInterval {
  const n = xs.length;
  const m = mean(xs);
  const halfWidth = n < 2 ? 0 : (studentT95(n - 1) * sampleStd(xs)) / Math.sqrt(n);
  return { mean: m, halfWidth, low: m - halfWidth, high: m + halfWidth, n };
}

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log σ(x), stable for large |x|. */
export function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

export function argmax(xs: ArrayLike<number>, from = 0, to = xs.length): number {
  let best = from;
  for (let i = from + 1; i < to; i++) if (xs[i] > xs[best]) best = i;
  return best;
}

export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
