/**
 * The Laplace approximation of the preferential GP posterior (Chu & Ghahramani 2005, with the
 * Bradley–Terry likelihood by default).
 *
 * Latent utilities f over the n distinct arms, prior f ~ N(0, K), and per comparison i of arms
 * (aᵢ, bᵢ) a likelihood ℓᵢ(zᵢ) of zᵢ = f_a − f_b. The negative Hessian of the log likelihood is
 *   W = Σᵢ wᵢ dᵢdᵢᵀ,  dᵢ = e_a − e_b,
 * which is not diagonal, so the textbook B = I + W^{1/2}KW^{1/2} would need a matrix square root.
 * Instead Newton runs on whitened utilities v with f = Lv, K = LLᵀ: the prior becomes N(0, I) and
 * the negative Hessian of Ψ(v) = Σ ℓᵢ − ½vᵀv is
 *   A = I + LᵀWL,
 * symmetric with every eigenvalue ≥ 1, so its Cholesky factor never fails and |A| = |I + KW|. Each
 * iteration costs O(m·n) to form WL from the m comparisons plus O(n³) for LᵀWL and the factor;
 * steps are halved until Ψ rises (Ψ is concave, so Newton with backtracking converges).
 *
 * The Laplace evidence is log Z ≈ Σ ℓᵢ(ẑᵢ) − ½v̂ᵀv̂ − ½ log|A|.
 */
import { Matrix, cholesky, choleskySolve, zeros } from '@borda/numeric';
import { PairLikelihood, likelihoodTerms } from './preferential-gp-likelihood';

/** The comparisons, as arm indices and soft outcomes. */
export interface Comparisons {
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly outcomes: Float64Array;
  readonly count: number;
}

export interface LaplaceMode {
  /** L with K = LLᵀ (the prior covariance of the arms, jitter included). */
  readonly priorFactor: Matrix;
  /** v̂ (f̂ = Lv̂). */
  readonly whitened: Float64Array;
  /** f̂ at the arms. */
  readonly mode: Float64Array;
  /** Cholesky factor of A = I + LᵀWL at the mode. */
  readonly hessianFactor: Matrix;
  /** Per comparison at the mode: ℓ′, w = −ℓ″, w′ = −ℓ‴. */
  readonly slopes: Float64Array;
  readonly curvatures: Float64Array;
  readonly curvatureSlopes: Float64Array;
  readonly logLikelihood: number;
  readonly logEvidence: number;
  readonly iterations: number;
}

export interface NewtonOptions {
  readonly maxIterations: number;
  /** Stop when the Newton decrement ½ ∇Ψᵀ A⁻¹ ∇Ψ falls below tolerance·(1 + |Ψ|). */
  readonly tolerance: number;
}

/** f = Lv for a lower-triangular L (O(n²)). */
export function lowerTimes(L: Matrix, v: ArrayLike<number>): Float64Array {
  const n = L.rows;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let k = 0; k <= i; k++) s += L.data[row + k] * v[k];
    out[i] = s;
  }
  return out;
}

/** Lᵀx for a lower-triangular L (O(n²)). */
export function lowerTransposeTimes(L: Matrix, x: ArrayLike<number>): Float64Array {
  const n = L.rows;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const xk = x[k];
    if (xk === 0) continue;
    const row = k * n;
    for (let i = 0; i <= k; i++) out[i] += L.data[row + i] * xk;
  }
  return out;
}

/** WL for W = Σ wᵢ dᵢdᵢᵀ, without forming W: row a gains wᵢ(L_a − L_b), row b loses it. O(m·n). */
export function curvatureTimesFactor(L: Matrix, pairs: Comparisons, curvatures: Float64Array): Matrix {
  const n = L.rows;
  const out = zeros(n, n);
  const M = out.data;
  const Ld = L.data;
  for (let i = 0; i < pairs.count; i++) {
    const w = curvatures[i];
    if (w === 0) continue;
    const a = pairs.first[i] * n;
    const b = pairs.second[i] * n;
    for (let k = 0; k < n; k++) {
      const t = w * (Ld[a + k] - Ld[b + k]);
      M[a + k] += t;
      M[b + k] -= t;
    }
  }
  return out;
}

/** A = I + LᵀWL (full symmetric matrix). */
function whitenedHessian(L: Matrix, pairs: Comparisons, curvatures: Float64Array): Matrix {
  const n = L.rows;
  const WL = curvatureTimesFactor(L, pairs, curvatures).data;
  const out = zeros(n, n);
  const A = out.data;
  const Ld = L.data;
  // (LᵀM)ᵢⱼ = Σ_{k ≥ i} L_ki M_kj: accumulate row k of M into the rows i ≤ k.
  for (let k = 0; k < n; k++) {
    const mk = k * n;
    for (let i = 0; i <= k; i++) {
      const lki = Ld[mk + i];
      if (lki === 0) continue;
      const ai = i * n;
      for (let j = 0; j < n; j++) A[ai + j] += lki * WL[mk + j];
    }
  }
  for (let i = 0; i < n; i++) {
    A[i * n + i] += 1;
    // Symmetrise (rounding leaves the two triangles a few ulps apart).
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (A[i * n + j] + A[j * n + i]);
      A[i * n + j] = s;
      A[j * n + i] = s;
    }
  }
  return out;
}

interface Terms {
  readonly logLikelihood: number;
  readonly slopes: Float64Array;
  readonly curvatures: Float64Array;
  readonly curvatureSlopes: Float64Array;
}

function pairTerms(kind: PairLikelihood, pairs: Comparisons, f: Float64Array): Terms {
  const slopes = new Float64Array(pairs.count);
  const curvatures = new Float64Array(pairs.count);
  const curvatureSlopes = new Float64Array(pairs.count);
  let logLikelihood = 0;
  for (let i = 0; i < pairs.count; i++) {
    const t = likelihoodTerms(kind, pairs.outcomes[i], f[pairs.first[i]] - f[pairs.second[i]]);
    logLikelihood += t.logLikelihood;
    slopes[i] = t.slope;
    curvatures[i] = t.curvature;
    curvatureSlopes[i] = t.curvatureSlope;
  }
  return { logLikelihood, slopes, curvatures, curvatureSlopes };
}

/** Dᵀg: the gradient of Σ ℓᵢ with respect to f. */
export function utilityGradient(pairs: Comparisons, slopes: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < pairs.count; i++) {
    out[pairs.first[i]] += slopes[i];
    out[pairs.second[i]] -= slopes[i];
  }
  return out;
}

function squaredNorm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}

/**
 * The posterior mode by Newton's method on v, from `start` (whitened; null: v = 0), and the
 * Laplace quantities at it. `priorFactor`: L of the prior covariance of the arms.
 */
export function findLaplaceMode(
  priorFactor: Matrix,
  pairs: Comparisons,
  kind: PairLikelihood,
  start: Float64Array | null,
  options: NewtonOptions,
): LaplaceMode {
  const L = priorFactor;
  const n = L.rows;
  let v = start ? Float64Array.from(start) : new Float64Array(n);
  let f = lowerTimes(L, v);
  let terms = pairTerms(kind, pairs, f);
  let psi = terms.logLikelihood - 0.5 * squaredNorm(v);
  let iterations = 0;
  let hessianFactor = cholesky(whitenedHessian(L, pairs, terms.curvatures));
  for (; iterations < options.maxIterations; iterations++) {
    const gradient = lowerTransposeTimes(L, utilityGradient(pairs, terms.slopes, n));
    for (let i = 0; i < n; i++) gradient[i] -= v[i];
    const step = choleskySolve(hessianFactor, gradient);
    let decrement = 0;
    for (let i = 0; i < n; i++) decrement += gradient[i] * step[i];
    if (0.5 * decrement <= options.tolerance * (1 + Math.abs(psi))) break;
    let scale = 1;
    let accepted = false;
    for (let halvings = 0; halvings < 40 && !accepted; halvings++, scale *= 0.5) {
      const candidate = Float64Array.from(v, (vi, i) => vi + scale * step[i]);
      const fc = lowerTimes(L, candidate);
      const tc = pairTerms(kind, pairs, fc);
      const value = tc.logLikelihood - 0.5 * squaredNorm(candidate);
      if (value >= psi) {
        v = candidate;
        f = fc;
        terms = tc;
        psi = value;
        accepted = true;
      }
    }
    if (!accepted) break;
    hessianFactor = cholesky(whitenedHessian(L, pairs, terms.curvatures));
  }
  let logDetHalf = 0;
  for (let i = 0; i < n; i++) logDetHalf += Math.log(hessianFactor.data[i * n + i]);
  return {
    priorFactor: L,
    whitened: v,
    mode: f,
    hessianFactor,
    slopes: terms.slopes,
    curvatures: terms.curvatures,
    curvatureSlopes: terms.curvatureSlopes,
    logLikelihood: terms.logLikelihood,
    logEvidence: psi - logDetHalf,
    iterations,
  };
}

/** The Laplace quantities at a given whitened mode, without Newton steps (what `load` restores). */
export function laplaceAt(priorFactor: Matrix, pairs: Comparisons, kind: PairLikelihood, v: Float64Array): LaplaceMode {
  return findLaplaceMode(priorFactor, pairs, kind, v, { maxIterations: 0, tolerance: 0 });
}
