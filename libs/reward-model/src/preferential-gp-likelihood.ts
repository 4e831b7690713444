/**
 * The pairwise likelihoods of the preferential GP, as functions of the utility difference
 * z = f(first) − f(second) and a soft outcome y ∈ [0, 1] (1: first preferred, 0.5: a tie):
 *   logistic (Bradley–Terry)  ℓ(z) = y log σ(z) + (1 − y) log σ(−z)
 *   probit (Thurstone)        ℓ(z) = y log Φ(z) + (1 − y) log Φ(−z)
 * Each gives ℓ, its slope g = ℓ′, the curvature w = −ℓ″ ≥ 0 (both are log-concave, so Newton's
 * method on the Laplace mode is well posed) and w′ = −ℓ‴, which the evidence gradient needs
 * (the mode moves with the hyperparameters and W moves with the mode).
 */
import { logSigmoid, sigmoid } from '@borda/numeric';

export type PairLikelihood = 'logistic' | 'probit';

export const PAIR_LIKELIHOODS: readonly PairLikelihood[] = ['logistic', 'probit'];

export interface LikelihoodTerms {
  readonly logLikelihood: number;
  readonly slope: number;
  readonly curvature: number;
  readonly curvatureSlope: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log erfc(x) for x ≥ 0, to about 1e-14 relative: below 3 as 1 − erf(x) with the all-positive series
 * erf(x) = (2/√π) e^{−x²} Σₙ 2ⁿx^{2n+1}/(1·3·…·(2n+1)) (no cancellation), above it by the continued
 * fraction erfc(x) = (e^{−x²}/√π) / (x + ½/(x + 1/(x + (3/2)/(x + …)))), evaluated bottom-up, which
 * stays representable in log space far into the tail. Accurate values matter here: Newton and the
 * evidence gradient use φ/Φ as the derivative of log Φ, so Φ must be consistent with it.
 */
function logErfc(x: number): number {
  if (x < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; term > 1e-17 * sum; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return Math.log1p(-(2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum);
  }
  let fraction = x;
  for (let n = 60; n >= 1; n--) fraction = x + n / 2 / fraction;
  return -x * x - 0.5 * Math.log(Math.PI) - Math.log(fraction);
}

/** log Φ(z), the standard normal log-CDF. */
export function logNormalCdf(z: number): number {
  if (z >= 0) return Math.log1p(-0.5 * Math.exp(logErfc(z / Math.SQRT2)));
  return Math.log(0.5) + logErfc(-z / Math.SQRT2);
}

/** r(z) = φ(z)/Φ(z) (the inverse Mills ratio), computed in log space. */
export function inverseMillsRatio(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI - logNormalCdf(z));
}

/** −(log Φ)″ and its derivative at u: W1 = r(u + r), W1′ = −r(u + r)² + r(1 − r(u + r)). */
function probitCurvature(u: number): [number, number] {
  const r = inverseMillsRatio(u);
  const c = r * (u + r);
  return [c, -c * (u + r) + r * (1 - c)];
}

export function likelihoodTerms(kind: PairLikelihood, outcome: number, z: number): LikelihoodTerms {
  const y = outcome;
  if (kind === 'logistic') {
    const s = sigmoid(z);
    const w = s * (1 - s);
    return {
      logLikelihood: y * logSigmoid(z) + (1 - y) * logSigmoid(-z),
      slope: y - s,
      curvature: w,
      curvatureSlope: w * (1 - 2 * s),
    };
  }
  const [cPlus, dPlus] = probitCurvature(z);
  const [cMinus, dMinus] = probitCurvature(-z);
  return {
    logLikelihood: (y > 0 ? y * logNormalCdf(z) : 0) + (y < 1 ? (1 - y) * logNormalCdf(-z) : 0),
    slope: y * inverseMillsRatio(z) - (1 - y) * inverseMillsRatio(-z),
    curvature: y * cPlus + (1 - y) * cMinus,
    curvatureSlope: y * dPlus - (1 - y) * dMinus,
  };
}

/** P(first ≻ second | z). */
export function preferenceProbability(kind: PairLikelihood, z: number): number {
  return kind === 'logistic' ? sigmoid(z) : Math.exp(logNormalCdf(z));
}
