/**
 * The reward model the crowd EM refits, behind a three-method interface so any Bradley–Terry-style
 * model can be plugged in.
 *
 * Why soft targets and no per-observation weights: the EM's M-step for the reward model maximises
 * Σ_c [μ_c log σ(s_c) + (1 − μ_c) log σ(−s_c)] + log prior(θ), one term per comparison c, where μ_c is
 * the E-step posterior that c's first response is better and s_c = r(first) − r(second) (Raykar et al.
 * 2010). μ_c already *is* the reliability-weighted, sign-corrected vote: an inverted labeler's answer
 * moves it the other way, a random labeler's answer leaves it at the prior (whose gradient at the
 * current θ is zero — weight → 0). So a model that accepts soft outcomes in [0, 1], such as
 * LinearBradleyTerry, is all the M-step needs.
 */
import { fromRows } from '@borda/numeric';
import { LinearBradleyTerry } from '../linear-bt';
import type { PairObservation, PreferenceModel } from '../model';

export interface CrowdPair {
  readonly first: ArrayLike<number>;
  readonly second: ArrayLike<number>;
}

export interface CrowdRewardLearner {
  /** Discards the current fit and fits on these soft observations (outcome = P(first better)). */
  fit(observations: readonly PairObservation[]): void;
  /** r(first) − r(second) per pair: the log-odds that the first response is better. */
  logOdds(pairs: readonly CrowdPair[]): Float64Array;
  /**
   * Optional: log prior density of the current parameters up to a constant, e.g. −(λ/2)‖θ‖². When
   * present it is part of the EM objective, which is then the exact log posterior the EM climbs.
   */
  logPrior?(): number;
}

/**
 * Adapts a Bradley–Terry PreferenceModel (linear-bt, neural-bt, bt-laplace, …): `fit` is the model's
 * fit, `logOdds` the difference of predicted mean rewards. For LinearBradleyTerry the mean uses
 * `predictMean` (no O(d²) variance work) and `logPrior` is −(λ/2)‖θ̂‖², so the EM objective is exact.
 * Borda-regression models (borda-gp, low-rank-borda) predict a Borda score, not a reward: do not use them here.
 */
export function bradleyTerryLearner(model: PreferenceModel): CrowdRewardLearner {
  const linear = model instanceof LinearBradleyTerry ? model : undefined;
  return {
    fit: (observations) => model.fit(observations),
    logOdds(pairs) {
      const out = new Float64Array(pairs.length);
      if (pairs.length === 0) return out;
      const rows: ArrayLike<number>[] = [];
      for (const p of pairs) rows.push(p.first, p.second);
      const features = fromRows(rows);
      const mean = linear ? linear.predictMean(features) : model.predict(features).mean;
      for (let i = 0; i < pairs.length; i++) out[i] = mean[2 * i] - mean[2 * i + 1];
      return out;
    },
    logPrior: linear
      ? () => {
          const theta = linear.theta;
          let squared = 0;
          for (let j = 0; j < theta.length; j++) squared += theta[j] * theta[j];
          return -0.5 * linear.regularization * squared;
        }
      : undefined,
  };
}
