/**
 * The second response ("rival") of ae-auto, chosen under the model's posterior instead of uniformly.
 *
 * Only rivals that may still beat the first response are worth a label: b is kept when
 * UCB(b) ≥ LCB(first) (the marginal bounds, as DTS uses them). Among those, `differenceVariance`
 * measures what a label on (first, b) can teach: the posterior variance of u(first) − u(b). It
 * comes from the model when it knows the joint posterior (`differenceVariance`, or ‖z‖²_{V⁻¹} for a
 * linear Bradley–Terry model); otherwise the arms are treated as independent, σ²(first) + σ²(b).
 */
import { row, type FeatureMatrix, type Rng } from '@borda/numeric';
import { hasDifferenceVariance, isLinearPreferenceModel, type PreferenceModel } from '@borda/reward-model';

/** Var[u(a) − u(b)] for global rows a, b of the candidate set, on the model's own scale. */
export type DifferenceVariance = (firstRow: number, secondRow: number) => number;

/**
 * The model's variance of a utility difference: its `differenceVariance` capability when present,
 * else the squared ‖φ_a − φ_b‖_{V⁻¹} of a linear Bradley–Terry model, else std(a)² + std(b)² from
 * `std` (the posterior over every row of `features`).
 */
export function differenceVarianceOf(
  model: PreferenceModel,
  features: FeatureMatrix,
  std: ArrayLike<number>,
): DifferenceVariance {
  if (hasDifferenceVariance(model)) {
    return (a, b) => model.differenceVariance(row(features, a), row(features, b));
  }
  if (isLinearPreferenceModel(model)) {
    return (a, b) => model.differenceNorm(row(features, a), row(features, b)) ** 2;
  }
  return (a, b) => std[a] * std[a] + std[b] * std[b];
}

/**
 * Rows of the prompt [start, end) other than `first` that are not confidently beaten by it:
 * UCB(b) = μ_b + βσ_b ≥ LCB(first) = μ_first − βσ_first. When the first is confidently better
 * than every other response, all the others (the label then only sharpens a known order, but the
 * query must still name a rival).
 */
export function plausibleRivals(
  mean: ArrayLike<number>,
  std: ArrayLike<number>,
  start: number,
  end: number,
  first: number,
  beta: number,
): number[] {
  const lcbFirst = mean[first] - beta * std[first];
  const kept: number[] = [];
  for (let r = start; r < end; r++) if (r !== first && mean[r] + beta * std[r] >= lcbFirst) kept.push(r);
  if (kept.length > 0) return kept;
  for (let r = start; r < end; r++) if (r !== first) kept.push(r);
  return kept;
}

/** What makes a rival b of the first response informative: larger = asked first. */
export type RivalScore = (firstRow: number, rivalRow: number) => number;

/** The rule ae-auto uses: the posterior variance of u(first) − u(b). */
export function varianceScore(variance: DifferenceVariance): RivalScore {
  return variance;
}

/**
 * The plausible rival (plausibleRivals) of the global row `first` (prompt rows [start, end)) with
 * the largest `score`. `used` holds the rivals already asked against this first in the batch: they
 * are passed over while another plausible rival remains (so a repeated prompt asks a new pair), and
 * the choice is added to it; once every plausible rival has been asked, a new round starts. Ties
 * (equal within 1e−12 relative) are broken uniformly by `rng`; nothing is drawn without a tie.
 */
export function bestRival(
  posterior: { readonly mean: ArrayLike<number>; readonly std: ArrayLike<number> },
  score: RivalScore,
  start: number,
  end: number,
  first: number,
  beta: number,
  rng: Rng,
  used: Set<number> = new Set(),
): number {
  const plausible = plausibleRivals(posterior.mean, posterior.std, start, end, first, beta);
  let pool = plausible.filter((r) => !used.has(r));
  if (pool.length === 0) {
    used.clear();
    pool = plausible;
  }
  const values = pool.map((r) => score(first, r));
  let best = -Infinity;
  for (const v of values) if (v > best) best = v;
  // A NaN score (a broken posterior) never wins; when nothing is finite every rival ties.
  const tied = Number.isFinite(best)
    ? pool.filter((_, k) => values[k] >= best - 1e-12 * Math.max(1, Math.abs(best)))
    : pool;
  const choice = tied.length === 1 ? tied[0] : tied[rng.int(tied.length)];
  used.add(choice);
  return choice;
}
