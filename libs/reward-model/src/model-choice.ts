/**
 * Automatic model choice among named candidate models on the labels so far.
 *
 * - Evidence: when every candidate reports a Laplace evidence for the same pairwise likelihood
 *   (`EvidenceModel`, e.g. LaplaceBradleyTerry with its three feature maps), each is fitted on all
 *   labels and scored by log evidence − ½·k·log n, k its number of hyperparameters fitted by type-II
 *   maximum likelihood. The penalty is the BIC term of a Laplace approximation over the
 *   hyperparameters: without it a map that nests another ('linear+rff' ⊃ 'linear') could never lose,
 *   since its maximised evidence is at least the nested one's.
 * - Cross-validation otherwise (e.g. a Borda GP next to a Bradley–Terry model): K-fold held-out
 *   pairwise log-loss on at most `maxCrossValidationLabels` labels, with
 *   P(first ≻ second) = σ(c·μ / sqrt(1 + π c² v / 8)) (the probit approximation of E σ(c·Δ) for
 *   Δ ~ N(μ, v)); μ = E r(first) − E r(second), v = Var of that difference (`differenceVariance` when
 *   the model has it, else the sum of both variances). c = 1 for models on the logit scale; for
 *   Borda-score models c is calibrated on the training fold (in-sample).
 * - Prior: below `minLabels` labels the first candidate is returned, fitted. Callers list the
 *   candidate with the fewest effective parameters first (`defaultModelCandidates` puts
 *   bt-laplace/linear first): with a few dozen labels evidence differences are dominated by the
 *   hyperpriors and a fold holds a handful of pairs, and the standardised linear map is the one whose
 *   errors are easiest to recover from (it is what APO/MaxInP assume).
 * Deterministic under `seed`: the subsample and folds come from forks of Rng(seed).
 */
import { type FeatureMatrix, Rng, logSigmoid } from '@borda/numeric';
import { LaplaceBradleyTerry } from './laplace-bt';
import type { LaplaceBradleyTerryOptions } from './laplace-bt-options';
import { type PairObservation, type PreferenceModel, hasDifferenceVariance } from './model';

/** A model that reports its (Laplace) log evidence. */
export interface EvidenceModel extends PreferenceModel {
  /** Likelihood name; evidences are only comparable between models that share it. */
  readonly pairwiseLikelihood: string;
  /** Hyperparameters fitted by maximising the evidence (the ½·log n penalty each). */
  readonly fittedHyperparameterCount: number;
  logEvidence(): number;
}

export function hasLogEvidence(model: PreferenceModel): model is EvidenceModel {
  const m = model as Partial<EvidenceModel>;
  return typeof m.logEvidence === 'function' && typeof m.pairwiseLikelihood === 'string';
}

export interface ModelCandidate {
  readonly name: string;
  /** A fresh, unfitted model. */
  readonly create: () => PreferenceModel;
  /**
   * 'logit': the utility difference is a log-odds (Bradley–Terry); 'score': any other scale (Borda
   * scores), calibrated by one factor. Default: 'score' for borda-gp and low-rank-borda, else 'logit'.
   */
  readonly scale?: 'logit' | 'score';
}

export interface ModelChoiceOptions {
  /** Seed of the subsample and the folds (default 0). */
  readonly seed?: number;
  /** Folds of the cross-validation (default 3: every fold refits every candidate, hyperparameters included). */
  readonly folds?: number;
  /** Below this many labels the first candidate is chosen without scoring (default 30). */
  readonly minLabels?: number;
  /** Labels the cross-validation uses at most, a seeded random subset (default 1500). */
  readonly maxCrossValidationLabels?: number;
  /** 'auto' (default): evidence when every candidate supports it, else cross-validation. */
  readonly method?: 'auto' | 'evidence' | 'cross-validation';
}

export interface CandidateScore {
  readonly name: string;
  /** Higher is better: penalised log evidence, or minus the mean held-out log-loss. */
  readonly score: number;
  readonly logEvidence?: number;
  readonly hyperparameterPenalty?: number;
  /** Mean held-out log-loss per pair (nats). */
  readonly crossValidatedLogLoss?: number;
}

export interface ModelChoice {
  readonly name: string;
  /** The winner, fitted on all observations. */
  readonly model: PreferenceModel;
  readonly method: 'evidence' | 'cross-validation' | 'prior';
  /** Every candidate's score, in candidate order (empty for 'prior'). */
  readonly scores: readonly CandidateScore[];
}

/** bt-laplace with each feature map, simplest first (the prior choice). */
export function defaultModelCandidates(options: Omit<LaplaceBradleyTerryOptions, 'featureMap'>): ModelCandidate[] {
  return (['linear', 'rff', 'linear+rff'] as const).map((featureMap) => ({
    name: `bt-laplace/${featureMap}`,
    create: () => new LaplaceBradleyTerry({ ...options, featureMap }),
  }));
}

export function chooseModel(
  candidates: readonly ModelCandidate[],
  observations: readonly PairObservation[],
  options: ModelChoiceOptions = {},
): ModelChoice {
  if (candidates.length === 0) throw new RangeError('chooseModel needs at least one candidate');
  const names = new Set(candidates.map((c) => c.name));
  if (names.size !== candidates.length) throw new RangeError('chooseModel: candidate names must be distinct');
  const minLabels = options.minLabels ?? 30;
  const folds = options.folds ?? 3;
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be an integer ≥ 2, got ${folds}`);
  if (observations.length < Math.max(minLabels, folds) || candidates.length === 1) {
    const model = candidates[0].create();
    model.fit(observations);
    return { name: candidates[0].name, model, method: 'prior', scores: [] };
  }
  const method = options.method ?? 'auto';
  const fresh = candidates.map((c) => c.create());
  const likelihoods = new Set(fresh.map((m) => (hasLogEvidence(m) ? m.pairwiseLikelihood : null)));
  const evidenceAvailable = likelihoods.size === 1 && !likelihoods.has(null);
  if (method === 'evidence' && !evidenceAvailable) {
    throw new RangeError('chooseModel: evidence needs every candidate to report it for one shared likelihood');
  }
  if (method !== 'cross-validation' && evidenceAvailable) return chooseByEvidence(candidates, fresh, observations);
  return chooseByCrossValidation(candidates, observations, folds, options);
}

function chooseByEvidence(
  candidates: readonly ModelCandidate[],
  models: PreferenceModel[],
  observations: readonly PairObservation[],
): ModelChoice {
  const logN = Math.log(observations.length);
  const scores = models.map((model, i): CandidateScore => {
    model.fit(observations);
    const evidenceModel = model as EvidenceModel;
    const logEvidence = evidenceModel.logEvidence();
    const hyperparameterPenalty = 0.5 * evidenceModel.fittedHyperparameterCount * logN;
    return { name: candidates[i].name, score: logEvidence - hyperparameterPenalty, logEvidence, hyperparameterPenalty };
  });
  const best = argmaxScore(scores);
  return { name: candidates[best].name, model: models[best], method: 'evidence', scores };
}

function chooseByCrossValidation(
  candidates: readonly ModelCandidate[],
  observations: readonly PairObservation[],
  folds: number,
  options: ModelChoiceOptions,
): ModelChoice {
  const root = new Rng(options.seed ?? 0);
  const cap = options.maxCrossValidationLabels ?? 1500;
  let indices = Array.from({ length: observations.length }, (_, i) => i);
  if (indices.length > cap) indices = root.fork(1).shuffle(indices).slice(0, cap);
  root.fork(2).shuffle(indices);
  const scores = candidates.map((candidate): CandidateScore => {
    let loss = 0;
    for (let k = 0; k < folds; k++) {
      const train = indices.filter((_, i) => i % folds !== k).map((i) => observations[i]);
      const test = indices.filter((_, i) => i % folds === k).map((i) => observations[i]);
      const model = candidate.create();
      model.fit(train);
      const scale = scaleOf(candidate, model) === 'logit' ? 1 : calibrateScale(pairPredictions(model, train));
      loss += pairwiseLogLoss(pairPredictions(model, test), scale) * test.length;
    }
    const crossValidatedLogLoss = loss / indices.length;
    return { name: candidate.name, score: -crossValidatedLogLoss, crossValidatedLogLoss };
  });
  const best = argmaxScore(scores);
  const model = candidates[best].create();
  model.fit(observations);
  return { name: candidates[best].name, model, method: 'cross-validation', scores };
}

/** Means and variances of r(first) − r(second), with the outcomes, for a list of pairs. */
export interface PairPredictions {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  readonly outcomes: Float64Array;
}

export function pairPredictions(model: PreferenceModel, pairs: readonly PairObservation[]): PairPredictions {
  const d = model.dimension;
  const rows = (side: 'first' | 'second'): FeatureMatrix => {
    const data = new Float64Array(pairs.length * d);
    pairs.forEach((o, i) => data.set(o[side], i * d));
    return { rows: pairs.length, cols: d, data };
  };
  const a = model.predict(rows('first'));
  const b = model.predict(rows('second'));
  const mean = new Float64Array(pairs.length);
  const variance = new Float64Array(pairs.length);
  const joint = hasDifferenceVariance(model) ? model : undefined;
  pairs.forEach((o, i) => {
    mean[i] = a.mean[i] - b.mean[i];
    variance[i] = joint ? joint.differenceVariance(o.first, o.second) : a.std[i] ** 2 + b.std[i] ** 2;
  });
  return { mean, variance, outcomes: Float64Array.from(pairs, (o) => o.outcome) };
}

/** Mean −[y log p + (1 − y) log(1 − p)], p = σ(c·μ / sqrt(1 + π c² v / 8)). */
export function pairwiseLogLoss(predictions: PairPredictions, scale = 1): number {
  const { mean, variance, outcomes } = predictions;
  if (mean.length === 0) return 0;
  let total = 0;
  for (let i = 0; i < mean.length; i++) {
    const s = (scale * mean[i]) / Math.sqrt(1 + (Math.PI * scale * scale * variance[i]) / 8);
    total -= outcomes[i] * logSigmoid(s) + (1 - outcomes[i]) * logSigmoid(-s);
  }
  return total / mean.length;
}

/** The scale c minimising the log-loss of the given predictions (golden section on log c ∈ [−8, 8]). */
export function calibrateScale(predictions: PairPredictions): number {
  const golden = (Math.sqrt(5) - 1) / 2;
  const loss = (logC: number): number => pairwiseLogLoss(predictions, Math.exp(logC));
  let lo = -8;
  let hi = 8;
  let x1 = hi - golden * (hi - lo);
  let x2 = lo + golden * (hi - lo);
  let f1 = loss(x1);
  let f2 = loss(x2);
  for (let iteration = 0; iteration < 60; iteration++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - golden * (hi - lo);
      f1 = loss(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + golden * (hi - lo);
      f2 = loss(x2);
    }
  }
  return Math.exp(0.5 * (lo + hi));
}

function scaleOf(candidate: ModelCandidate, model: PreferenceModel): 'logit' | 'score' {
  if (candidate.scale) return candidate.scale;
  return model.kind === 'borda-gp' || model.kind === 'low-rank-borda' ? 'score' : 'logit';
}

/** First index of the highest score (earlier candidates win ties). */
function argmaxScore(scores: readonly CandidateScore[]): number {
  let best = 0;
  scores.forEach((s, i) => {
    if (s.score > scores[best].score) best = i;
  });
  return best;
}
