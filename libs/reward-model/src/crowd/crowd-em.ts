/**
 * Joint EM for labeler reliability and a Bradley–Terry reward model (Dawid & Skene 1979 for the
 * labeler confusions; Raykar et al. 2010, "Learning from crowds", for estimating them jointly with the
 * model that supplies each item's prior). docs/algorithms.md §12 (crowd reliability).
 *
 * Latent: T_c ∈ {first better, second better} per comparison c. Model:
 *   P(T_c = first) = π_c = σ(r(first_c) − r(second_c))                     (reward model, the prior)
 *   P(judgment j | T_c) = the confusion (a_k, b_k) of j's labeler k        (labeler-confusion.ts)
 *   a_k, b_k ~ Beta priors; the reward model's own prior (e.g. N(0, λ⁻¹I)).
 * Gold answers fix T_c. Ties and both-bad carry no direction and are left out of the likelihood.
 *
 * E-step: μ_c = P(T_c = first | everything) = σ(logit π_c + Σ_j evidence_j), or the gold answer.
 * M-step: (a_k, b_k) = posterior mode from soft counts; the reward model refitted on soft targets μ_c.
 * Objective (the log posterior the EM climbs, monotone when the model's fit maximises its own
 * penalised likelihood and it reports `logPrior`):
 *   Σ_c log Σ_T P(T | π_c) Π_j P(j | T)  +  Σ_k log prior(a_k, b_k)  +  log prior(reward model).
 */
import { logSigmoid, sigmoid } from '@borda/numeric';
import type { PairObservation } from '../model';
import { type IndexedCrowd, judgmentEvidence, judgmentLogLikelihood } from './crowd-data';
import {
  type Confusion,
  type ConfusionCounts,
  type LabelerPrior,
  confusionLogPrior,
  confusionMode,
} from './labeler-confusion';
import type { CrowdPair, CrowdRewardLearner } from './reward-learner';

export interface CrowdEmSettings {
  readonly prior: LabelerPrior;
  readonly maxIterations: number;
  /** Stop once an iteration raises the objective by less than tolerance·(1 + |objective|). */
  readonly tolerance: number;
}

export interface CrowdEmResult {
  /** Confusion (posterior mode) per labeler index. */
  readonly confusions: Confusion[];
  /** The soft counts whose Beta mode is `confusions` (the last M-step's input), per labeler index. */
  readonly counts: ConfusionCounts[];
  /** Held-out soft counts per labeler index (see heldOutCounts): what the reports' intervals use. */
  readonly heldOutCounts: ConfusionCounts[];
  /** Final E-step posterior P(first better) per comparison (NaN for inactive ones). */
  readonly posterior: Float64Array;
  /** Final reward-model log-odds r(first) − r(second) per comparison (every comparison). */
  readonly modelLogOdds: Float64Array;
  /** Evidence (nats toward "first better") of each judgment under the final confusions. */
  readonly evidence: Float64Array;
  /** Objective after each full iteration (E-step at the current parameters), non-decreasing. */
  readonly objectiveHistory: number[];
  readonly iterations: number;
  readonly converged: boolean;
}

function softplus(x: number): number {
  return -logSigmoid(-x);
}

/** Evidence of every judgment under the given confusions. */
function allEvidence(data: IndexedCrowd, confusions: readonly Confusion[]): Float64Array {
  const evidence = new Float64Array(data.comparisonOf.length);
  for (let j = 0; j < evidence.length; j++) {
    evidence[j] = judgmentEvidence(confusions[data.labelerOf[j]], data.saysLeft[j], data.firstShownLeft[j]);
  }
  return evidence;
}

/**
 * E-step plus the objective at the current parameters. Returns μ per comparison (NaN if inactive).
 * log Σ_T P(T) Π P(j | T) = ℓ₀ + log(1 − π) + softplus(E + s), with s = logit π, E = ℓ₁ − ℓ₀.
 */
export function expectationStep(
  data: IndexedCrowd,
  confusions: readonly Confusion[],
  modelLogOdds: Float64Array,
): { posterior: Float64Array; logLikelihood: number; evidence: Float64Array } {
  const evidence = allEvidence(data, confusions);
  const posterior = new Float64Array(data.comparisonIds.length).fill(NaN);
  let logLikelihood = 0;
  for (const c of data.active) {
    const s = modelLogOdds[c];
    let total = 0;
    let secondLogLikelihood = 0;
    for (let p = data.byComparisonStart[c]; p < data.byComparisonStart[c + 1]; p++) {
      const j = data.byComparison[p];
      total += evidence[j];
      secondLogLikelihood += judgmentLogLikelihood(
        confusions[data.labelerOf[j]],
        data.saysLeft[j],
        data.firstShownLeft[j],
        false,
      );
    }
    const g = data.gold[c];
    if (Number.isNaN(g)) {
      posterior[c] = sigmoid(s + total);
      logLikelihood += secondLogLikelihood + logSigmoid(-s) + softplus(total + s);
    } else {
      posterior[c] = g;
      logLikelihood += g === 1 ? secondLogLikelihood + total + logSigmoid(s) : secondLogLikelihood + logSigmoid(-s);
    }
  }
  return { posterior, logLikelihood, evidence };
}

/** Soft counts per labeler from the posteriors: P(left truly better) = μ if first was left, else 1 − μ. */
export function labelerCounts(data: IndexedCrowd, posterior: Float64Array): ConfusionCounts[] {
  return countsFrom(data, (j) => posterior[data.comparisonOf[j]]);
}

/** Soft counts given P(first truly better) per judgment. */
function countsFrom(data: IndexedCrowd, firstBetter: (judgment: number) => number): ConfusionCounts[] {
  const k = data.labelerIds.length;
  const leftBetter = new Float64Array(k);
  const saidLeftWhenLeftBetter = new Float64Array(k);
  const rightBetter = new Float64Array(k);
  const saidLeftWhenRightBetter = new Float64Array(k);
  for (let j = 0; j < data.comparisonOf.length; j++) {
    const said = data.saysLeft[j];
    if (said < 0) continue;
    const mu = firstBetter(j);
    const pLeft = data.firstShownLeft[j] ? mu : 1 - mu;
    const l = data.labelerOf[j];
    leftBetter[l] += pLeft;
    rightBetter[l] += 1 - pLeft;
    if (said) {
      saidLeftWhenLeftBetter[l] += pLeft;
      saidLeftWhenRightBetter[l] += 1 - pLeft;
    }
  }
  return Array.from({ length: k }, (_, l) => ({
    leftBetter: leftBetter[l],
    saidLeftWhenLeftBetter: saidLeftWhenLeftBetter[l],
    rightBetter: rightBetter[l],
    saidLeftWhenRightBetter: saidLeftWhenRightBetter[l],
  }));
}

/**
 * Held-out soft counts: each directional judgment scored against P(truth) from everything *but*
 * itself — the reward model's prior, the other judgments of its comparison and gold. Unlike the EM's
 * own counts, a labeler's answer never vouches for itself here (with one judgment per comparison the
 * EM posterior leans on the very label it then grades), so these are what the reports and flags use.
 */
export function heldOutCounts(
  data: IndexedCrowd,
  modelLogOdds: Float64Array,
  evidence: Float64Array,
): ConfusionCounts[] {
  const totals = new Float64Array(data.comparisonIds.length);
  for (let j = 0; j < evidence.length; j++) totals[data.comparisonOf[j]] += evidence[j];
  const heldOut = new Float64Array(data.comparisonOf.length);
  for (let j = 0; j < evidence.length; j++) {
    const c = data.comparisonOf[j];
    const g = data.gold[c];
    heldOut[j] = Number.isNaN(g) ? sigmoid(modelLogOdds[c] + totals[c] - evidence[j]) : g;
  }
  return countsFrom(data, (j) => heldOut[j]);
}

/** Soft observations (one per active comparison) for the reward model's M-step. */
function softObservations(data: IndexedCrowd, pairs: readonly CrowdPair[], targets: Float64Array): PairObservation[] {
  return Array.from(data.active, (c) => ({ first: pairs[c].first, second: pairs[c].second, outcome: targets[c] }));
}

/** The labels-only posterior (flat prior on T, gold respected): the first model fit's targets. */
function labelConsensus(data: IndexedCrowd, confusions: readonly Confusion[]): Float64Array {
  return expectationStep(data, confusions, new Float64Array(data.comparisonIds.length)).posterior;
}

export function runCrowdEm(
  data: IndexedCrowd,
  pairs: readonly CrowdPair[],
  learner: CrowdRewardLearner,
  start: readonly Confusion[],
  settings: CrowdEmSettings,
): CrowdEmResult {
  if (pairs.length !== data.comparisonIds.length) {
    throw new RangeError(`expected ${data.comparisonIds.length} comparison pairs, got ${pairs.length}`);
  }
  let confusions = start.slice();
  // Initialise the reward model on the reliability-weighted consensus under the starting confusions;
  // from there on every step is an EM step.
  learner.fit(softObservations(data, pairs, labelConsensus(data, confusions)));
  const history: number[] = [];
  let converged = false;
  let iterations = 0;
  let modelLogOdds = learner.logOdds(pairs);
  let step = expectationStep(data, confusions, modelLogOdds);
  let counts = labelerCounts(data, step.posterior);
  let countsUsed = counts;
  const objective = (loglik: number) =>
    loglik +
    confusions.reduce((sum, c) => sum + confusionLogPrior(c, settings.prior), 0) +
    (learner.logPrior ? learner.logPrior() : 0);
  history.push(objective(step.logLikelihood));
  while (iterations < settings.maxIterations) {
    iterations++;
    // M-step: both blocks maximise the expected complete log posterior given this E-step.
    confusions = counts.map((c) => confusionMode(c, settings.prior));
    countsUsed = counts;
    learner.fit(softObservations(data, pairs, step.posterior));
    // E-step at the new parameters, and the objective there.
    modelLogOdds = learner.logOdds(pairs);
    step = expectationStep(data, confusions, modelLogOdds);
    counts = labelerCounts(data, step.posterior);
    const value = objective(step.logLikelihood);
    const gain = value - history[history.length - 1];
    history.push(value);
    if (Math.abs(gain) <= settings.tolerance * (1 + Math.abs(value))) {
      converged = true;
      break;
    }
  }
  return {
    confusions,
    counts: countsUsed,
    heldOutCounts: heldOutCounts(data, modelLogOdds, step.evidence),
    posterior: step.posterior,
    modelLogOdds,
    evidence: step.evidence,
    objectiveHistory: history,
    iterations,
    converged,
  };
}
