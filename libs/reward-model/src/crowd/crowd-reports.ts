/**
 * What a crowd fit reports: per labeler (confusion, behaviour shares with intervals, gold accuracy,
 * agreement evidence), per judgment (its weight and effective sign) and per comparison (the
 * reliability-weighted consensus beside the plain majority vote).
 */
import { sigmoid } from '@borda/numeric';
import { type BinomialInterval, wilsonInterval } from './beta-distribution';
import { type IndexedCrowd, type JudgmentChoice, type ResponseSide, saysFirst } from './crowd-data';
import type { CrowdEmResult } from './crowd-em';
import {
  type Confusion,
  type ConfusionCounts,
  type Estimate,
  type LabelerPrior,
  confusionIntervals,
} from './labeler-confusion';

export interface LabelerReliability {
  readonly labeler: string;
  readonly judgments: number;
  /** Judgments that picked a side (not tie / both-bad). */
  readonly directional: number;
  /** Share of directional judgments that said left (raw). */
  readonly saidLeft: number;
  /** The EM's confusion (posterior mode): what weighs this labeler's judgments. */
  readonly confusion: Confusion;
  /**
   * The estimates below are held out: each judgment graded against P(truth) from everything but itself
   * (reward model, other labelers, gold), under the same Beta prior; intervals are 95 % posterior.
   * a = P(says left | left truly better).
   */
  readonly leftIfLeftBetter: Estimate;
  /** b = P(says left | right truly better). */
  readonly leftIfRightBetter: Estimate;
  /** P(agrees with the latent truth | answer not position-driven). */
  readonly accuracy: Estimate;
  /** Share of answers that follow the truth backwards. */
  readonly inverted: Estimate;
  /** Share of answers independent of both truth and side. */
  readonly random: Estimate;
  /** P(says left) − ½ when both sides are equally often better. */
  readonly positionBias: Estimate;
  /** Directional answers on gold comparisons that named the gold response (Wilson interval); null without gold. */
  readonly gold: BinomialInterval | null;
  /**
   * Agreement with the reliability-weighted consensus of the *other* labelers on the same comparisons
   * (flat prior, own judgment left out); null when nobody else judged their comparisons.
   */
  readonly agreementWithConsensus: BinomialInterval | null;
  /** Agreement with the fitted reward model's preferred response (the model saw this labeler too). */
  readonly agreementWithModel: BinomialInterval | null;
  /** The EM's soft counts (what a later fit can start from). */
  readonly counts: ConfusionCounts;
  /** The held-out soft counts behind the estimates and intervals. */
  readonly heldOutCounts: ConfusionCounts;
}

export interface JudgmentWeight {
  readonly comparison: string;
  readonly labeler: string;
  readonly choice: JudgmentChoice;
  /** log-likelihood ratio (nats) this judgment adds toward "first is better". */
  readonly evidence: number;
  /**
   * |tanh(evidence/2)| = |2 P(first better | this judgment alone, flat prior) − 1|: 0 for a coin-flipper
   * or a tie, the labeler's 2·accuracy − 1 for a symmetric one.
   */
  readonly weight: number;
  /** +1: counts as stated; −1: counts reversed (inverted labeler); 0: no information. */
  readonly sign: 1 | -1 | 0;
}

export interface ComparisonConsensus {
  readonly id: string;
  readonly judgments: number;
  readonly directional: number;
  /** Directional judgments that picked the first response. */
  readonly votesFirst: number;
  /** Plain majority: votesFirst / directional (null without directional judgments). */
  readonly majority: number | null;
  /** Reliability-weighted P(first better) from the labels alone (flat prior, no gold). */
  readonly consensus: number | null;
  /** The EM posterior: reward-model prior × labels, or the gold answer (null if the EM skipped it). */
  readonly posterior: number | null;
  /** The fitted reward model's σ(r(first) − r(second)). */
  readonly modelProbability: number;
  readonly gold: ResponseSide | null;
}

const SIGN_EPSILON = 1e-12;

export function judgmentWeights(
  data: IndexedCrowd,
  result: CrowdEmResult,
  choices: readonly JudgmentChoice[],
): JudgmentWeight[] {
  return Array.from(data.comparisonOf, (c, j) => {
    const evidence = result.evidence[j];
    const said = data.saysLeft[j];
    let sign: 1 | -1 | 0 = 0;
    if (said >= 0 && Math.abs(evidence) > SIGN_EPSILON) {
      sign = evidence > 0 === saysFirst(said, data.firstShownLeft[j]) ? 1 : -1;
    }
    return {
      comparison: data.comparisonIds[c],
      labeler: data.labelerIds[data.labelerOf[j]],
      choice: choices[j],
      evidence,
      weight: Math.abs(Math.tanh(evidence / 2)),
      sign,
    };
  });
}

export function comparisonConsensus(data: IndexedCrowd, result: CrowdEmResult): ComparisonConsensus[] {
  return data.comparisonIds.map((id, c) => {
    let directional = 0;
    let votesFirst = 0;
    let evidence = 0;
    const start = data.byComparisonStart[c];
    const end = data.byComparisonStart[c + 1];
    for (let p = start; p < end; p++) {
      const j = data.byComparison[p];
      if (data.saysLeft[j] < 0) continue;
      directional++;
      if (saysFirst(data.saysLeft[j], data.firstShownLeft[j])) votesFirst++;
      evidence += result.evidence[j];
    }
    const g = data.gold[c];
    return {
      id,
      judgments: end - start,
      directional,
      votesFirst,
      majority: directional > 0 ? votesFirst / directional : null,
      consensus: directional > 0 ? sigmoid(evidence) : null,
      posterior: Number.isNaN(result.posterior[c]) ? null : result.posterior[c],
      modelProbability: sigmoid(result.modelLogOdds[c]),
      gold: Number.isNaN(g) ? null : g === 1 ? 'first' : 'second',
    };
  });
}

export function labelerReliabilities(
  data: IndexedCrowd,
  result: CrowdEmResult,
  prior: LabelerPrior,
  intervalGrid: number,
): LabelerReliability[] {
  const k = data.labelerIds.length;
  const judgments = new Int32Array(k);
  const directional = new Int32Array(k);
  const saidLeft = new Int32Array(k);
  const goldTrials = new Int32Array(k);
  const goldHits = new Int32Array(k);
  const consensusTrials = new Int32Array(k);
  const consensusHits = new Int32Array(k);
  const modelTrials = new Int32Array(k);
  const modelHits = new Int32Array(k);
  for (let j = 0; j < data.comparisonOf.length; j++) {
    const l = data.labelerOf[j];
    const c = data.comparisonOf[j];
    judgments[l]++;
    const said = data.saysLeft[j];
    if (said < 0) continue;
    directional[l]++;
    saidLeft[l] += said;
    const first = saysFirst(said, data.firstShownLeft[j]);
    const g = data.gold[c];
    if (!Number.isNaN(g)) {
      goldTrials[l]++;
      if (first === (g === 1)) goldHits[l]++;
    }
    const s = result.modelLogOdds[c];
    if (Math.abs(s) > SIGN_EPSILON) {
      modelTrials[l]++;
      if (first === s > 0) modelHits[l]++;
    }
    let others = 0;
    let othersDirectional = false;
    for (let p = data.byComparisonStart[c]; p < data.byComparisonStart[c + 1]; p++) {
      const o = data.byComparison[p];
      if (data.labelerOf[o] === l || data.saysLeft[o] < 0) continue;
      othersDirectional = true;
      others += result.evidence[o];
    }
    if (othersDirectional && Math.abs(others) > SIGN_EPSILON) {
      consensusTrials[l]++;
      if (first === others > 0) consensusHits[l]++;
    }
  }
  const binomial = (hits: number, trials: number) => (trials > 0 ? wilsonInterval(hits, trials) : null);
  return data.labelerIds.map((labeler, l) => {
    const summary = confusionIntervals(result.heldOutCounts[l], prior, intervalGrid);
    return {
      labeler,
      confusion: result.confusions[l],
      judgments: judgments[l],
      directional: directional[l],
      saidLeft: directional[l] > 0 ? saidLeft[l] / directional[l] : NaN,
      leftIfLeftBetter: summary.a,
      leftIfRightBetter: summary.b,
      accuracy: summary.accuracy,
      inverted: summary.inverted,
      random: summary.random,
      positionBias: summary.positionBias,
      gold: binomial(goldHits[l], goldTrials[l]),
      agreementWithConsensus: binomial(consensusHits[l], consensusTrials[l]),
      agreementWithModel: binomial(modelHits[l], modelTrials[l]),
      counts: result.counts[l],
      heldOutCounts: result.heldOutCounts[l],
    };
  });
}
