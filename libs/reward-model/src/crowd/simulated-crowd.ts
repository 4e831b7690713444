/**
 * A synthetic crowd with planted behaviours, for testing reliability estimation here and in the
 * service: a linear true reward r = θ*ᵀx over Gaussian feature rows, comparisons of two random rows,
 * and labelers who are
 *   honest          — Bradley–Terry draws from the true reward (P(first) = σ(r₁ − r₂));
 *   position-biased — pick the left side with probability `positionBiasRate` (default 1), else honest;
 *   random          — a fair coin;
 *   inverted        — an honest draw, reported backwards.
 * Redundancy R: every comparison is judged by R distinct labelers and every labeler makes exactly
 * `judgmentsPerLabeler` judgments (rounds of a shuffled labeler order, cut into groups of R).
 */
import { Rng, sigmoid } from '@borda/numeric';
import type { CrowdComparison, CrowdJudgment } from './crowd-data';

export type SimulatedBehaviour = 'honest' | 'position-biased' | 'random' | 'inverted';

export interface SimulatedCrowdOptions {
  /** One entry per labeler (labeler ids are `labeler-<index>`). */
  readonly behaviours: readonly SimulatedBehaviour[];
  /** Feature width (default 8). */
  readonly dimension?: number;
  readonly judgmentsPerLabeler: number;
  /** Distinct labelers per comparison; must divide the number of labelers (default 1). */
  readonly redundancy?: number;
  /** Share of comparisons that are gold questions (the truly better response is known) (default 0.1). */
  readonly goldFraction?: number;
  /** How often an honest labeler agrees with the truly better response (default 0.88). */
  readonly honestAgreement?: number;
  /** P(left) of a position-biased labeler (default 1: always left). */
  readonly positionBiasRate?: number;
}

export interface SimulatedCrowd {
  readonly comparisons: CrowdComparison[];
  readonly judgments: CrowdJudgment[];
  /** θ* of the true reward r = θ*ᵀx. */
  readonly trueTheta: Float64Array;
  readonly labelers: readonly { readonly id: string; readonly behaviour: SimulatedBehaviour }[];
}

/**
 * E[σ(|Δ|)] for Δ ~ N(0, scale²): how often a BT draw agrees with the truly better response
 * (midpoint rule on z ∈ [0, 8], plenty for 1e-6).
 */
export function btAgreement(scale: number): number {
  const steps = 4000;
  const h = 8 / steps;
  let total = 0;
  for (let i = 0; i < steps; i++) {
    const z = (i + 0.5) * h;
    total += sigmoid(scale * z) * Math.exp(-0.5 * z * z);
  }
  return (2 * total * h) / Math.sqrt(2 * Math.PI);
}

/** The std of r(first) − r(second) at which honest labelers agree with the truth `agreement` of the time. */
export function scaleForAgreement(agreement: number): number {
  if (!(agreement > 0.5 && agreement < 1)) throw new RangeError(`agreement must be in (0.5, 1), got ${agreement}`);
  let low = 0;
  let high = 1;
  while (btAgreement(high) < agreement) high *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (low + high);
    if (btAgreement(mid) < agreement) low = mid;
    else high = mid;
  }
  return 0.5 * (low + high);
}

/** A random feature row x ~ N(0, I_d). */
function featureRow(rng: Rng, d: number): Float64Array {
  return rng.normals(d);
}

export function simulateCrowd(options: SimulatedCrowdOptions, rng: Rng): SimulatedCrowd {
  const d = options.dimension ?? 8;
  const redundancy = options.redundancy ?? 1;
  const goldFraction = options.goldFraction ?? 0.1;
  const positionBiasRate = options.positionBiasRate ?? 1;
  const labelerCount = options.behaviours.length;
  if (!Number.isInteger(redundancy) || redundancy < 1 || labelerCount % redundancy !== 0) {
    throw new RangeError(`redundancy ${redundancy} must be a positive integer dividing ${labelerCount} labelers`);
  }
  // With x ~ N(0, I), r₁ − r₂ ~ N(0, 2‖θ*‖²): scale θ* so honest labelers hit the target agreement.
  const scale = scaleForAgreement(options.honestAgreement ?? 0.88);
  const direction = rng.normals(d);
  let norm = 0;
  for (let j = 0; j < d; j++) norm += direction[j] * direction[j];
  const trueTheta = direction.map((v) => (v / Math.sqrt(norm)) * (scale / Math.SQRT2));
  const reward = (x: ArrayLike<number>) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += trueTheta[j] * x[j];
    return s;
  };
  const labelers = options.behaviours.map((behaviour, i) => ({ id: `labeler-${i}`, behaviour }));
  const comparisons: CrowdComparison[] = [];
  const judgments: CrowdJudgment[] = [];
  const order = Array.from({ length: labelerCount }, (_, i) => i);
  for (let round = 0; round < options.judgmentsPerLabeler; round++) {
    rng.shuffle(order);
    for (let group = 0; group < labelerCount / redundancy; group++) {
      const first = featureRow(rng, d);
      const second = featureRow(rng, d);
      const id = `c${comparisons.length}`;
      comparisons.push({ id, first, second });
      const margin = reward(first) - reward(second);
      const gold = rng.next() < goldFraction ? (margin > 0 ? 'first' : 'second') : undefined;
      for (let m = 0; m < redundancy; m++) {
        const labeler = labelers[order[group * redundancy + m]];
        const shownLeft = rng.bernoulli(0.5) ? 'first' : 'second';
        const honestFirst = rng.next() < sigmoid(margin);
        let saysFirst: boolean;
        switch (labeler.behaviour) {
          case 'honest':
            saysFirst = honestFirst;
            break;
          case 'inverted':
            saysFirst = !honestFirst;
            break;
          case 'random':
            saysFirst = rng.bernoulli(0.5) === 1;
            break;
          case 'position-biased':
            saysFirst = rng.next() < positionBiasRate ? shownLeft === 'first' : honestFirst;
            break;
        }
        const choice = saysFirst === (shownLeft === 'first') ? 'left' : 'right';
        judgments.push({ comparison: id, labeler: labeler.id, shownLeft, choice, ...(gold ? { gold } : {}) });
      }
    }
  }
  return { comparisons, judgments, trueTheta, labelers };
}
