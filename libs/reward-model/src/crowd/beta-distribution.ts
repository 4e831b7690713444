/**
 * The Beta distribution and binomial intervals the crowd-reliability reports need: log Γ, the
 * regularised incomplete beta function (the Beta CDF), its inverse, and the Wilson score interval.
 * libs/numeric has no special functions, and these are small enough to keep beside their only user.
 */

/** z of a two-sided 95 % normal interval. */
export const Z95 = 1.959963984540054;

// Lanczos approximation, g = 7, 9 coefficients (relative error below 1e-15 for x > 0).
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x); // reflection
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b). */
export function logBetaFunction(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** Continued fraction of I_x(a, b) (modified Lentz), valid and fast for x < (a + 1)/(a + b + 2). */
function incompleteBetaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

function checkShape(a: number, b: number): void {
  if (!(a > 0) || !(b > 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`Beta shapes must be positive and finite, got (${a}, ${b})`);
  }
}

/** The Beta(a, b) CDF at x: the regularised incomplete beta function I_x(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  checkShape(a, b);
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBetaFunction(a, b);
  // The fraction converges quickly only on the near side of the mean; use the symmetry
  // I_x(a, b) = 1 − I_{1−x}(b, a) on the far side.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * incompleteBetaFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * incompleteBetaFraction(1 - x, b, a)) / b;
}

/** log of the Beta(a, b) density at x ∈ (0, 1). */
export function betaLogDensity(x: number, a: number, b: number): number {
  return (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBetaFunction(a, b);
}

/**
 * The q-quantile of Beta(a, b): Newton on the CDF, falling back to bisection whenever a step would
 * leave the bracket (the density can be huge or tiny near the ends, where Newton alone overshoots).
 */
export function betaQuantile(q: number, a: number, b: number): number {
  checkShape(a, b);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level must be in [0, 1], got ${q}`);
  if (q === 0) return 0;
  if (q === 1) return 1;
  let low = 0;
  let high = 1;
  let x = a / (a + b);
  for (let iteration = 0; iteration < 200; iteration++) {
    const error = betaCdf(x, a, b) - q;
    if (error > 0) high = x;
    else low = x;
    if (Math.abs(error) < 1e-14 || high - low < 1e-15) break;
    const density = Math.exp(betaLogDensity(x, a, b));
    let next = x - error / density;
    if (!(next > low && next < high)) next = 0.5 * (low + high);
    x = next;
  }
  return x;
}

export interface BinomialInterval {
  readonly successes: number;
  readonly trials: number;
  /** successes / trials (NaN without trials). */
  readonly rate: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Wilson score interval for a binomial proportion: keeps its coverage near 95 % for small counts and
 * rates near 0 or 1, where the normal (Wald) interval collapses to a point.
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): BinomialInterval {
  if (!(trials >= 0) || !(successes >= 0) || successes > trials) {
    throw new RangeError(`wilsonInterval needs 0 ≤ successes ≤ trials, got ${successes}/${trials}`);
  }
  if (trials === 0) return { successes, trials, rate: NaN, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { successes, trials, rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
