/**
 * The crowd reliability step of RewardModelFit (issue 10 items 2-6): who gave each label, which side
 * they saw, and the gold answers go into a Dawid–Skene EM fitted jointly with a Bradley–Terry reward
 * model (@borda/reward-model CrowdReliability, docs/algorithms.md §7). What comes out:
 * - the training data of the PUBLISHED model: one soft observation per comparison whose outcome is
 *   the EM posterior P(first better) — an inverted labeler's vote counts reversed, a coin-flipper's not
 *   at all, and position bias is corrected because the EM reads each answer in screen-side terms;
 * - per labeler: accuracy, inverted / random shares and position bias with intervals, flags against
 *   the campaign's threshold; per label: its weight and sign; per comparison: the consensus;
 * - honest metrics of the published model against raw labels, consensus and gold;
 * - which comparisons deserve one more judgment (`extraJudgmentCandidates`).
 * Pure apart from the callbacks (the learner factory, the pause and extra-judgment actions).
 */
import {
  CrowdReliability,
  type CrowdFit,
  type CrowdJudgment,
  type LabelerFlag,
  type PairObservation,
  type PreferenceModel,
  type SerializedCrowdReliability,
  bradleyTerryLearner,
  crowdMetrics,
  flagLabelers,
} from '@borda/reward-model';
import type { CrowdFitMetrics, CrowdTargetMetrics } from '@borda/api-contract';
import { type ExtraJudgmentCandidate, extraJudgmentCandidates } from '../crowd/extra-judgments';
import type { CampaignCandidates } from './candidates';
import { plattScale, utilityDifferences } from './evaluation';

/** One stored judgment as the crowd model needs it (skips are never loaded). */
export interface CrowdJudgmentRow {
  readonly labelId: string;
  readonly comparisonId: string;
  readonly labelerId: string;
  readonly firstResponseId: string;
  readonly secondResponseId: string;
  readonly choice: 'A' | 'B' | 'tie' | 'both_bad';
  /** The comparison's first response was shown on the left (A). */
  readonly firstOnLeft: boolean;
  /** 1 first, 0 second, 0.5 tie; null for both_bad. */
  readonly outcome: number | null;
  /** The gold answer: true when the first response is the better one; null without gold. */
  readonly goldFirst: boolean | null;
}

export interface CrowdFitSettings {
  /** Flag threshold on the accuracy's 95 % upper bound (campaign.minLabelerAccuracy). */
  readonly minLabelerAccuracy: number;
  /** Below this many directional judgments the EM says too little: raw labels are used (default 30). */
  readonly minJudgments?: number;
  /**
   * Cap on EM iterations (default 30). Each iteration refits the reward model; warm-started from the
   * previous fit's labeler state the EM moves little between fits, so the cap bounds the fit time
   * without stopping a converging fit early in practice.
   */
  readonly maxIterations?: number;
}

export interface CrowdStepInput {
  readonly judgments: readonly CrowdJudgmentRow[];
  readonly candidates: CampaignCandidates;
  /** The previous model version's stored state (warm start), if any. */
  readonly previousState: SerializedCrowdReliability | null;
  /** A fresh Bradley–Terry model the EM refits in every M-step. */
  readonly createLearner: () => Promise<PreferenceModel>;
  readonly settings: CrowdFitSettings;
}

export interface CrowdStep {
  readonly status: 'fitted' | 'skipped';
  readonly reason: string | null;
  /** The judgments as the library reads them (judgments on responses without features are dropped). */
  readonly crowdJudgments: CrowdJudgment[];
  /** Label id per crowd judgment (same order). */
  readonly labelIds: string[];
  readonly labelers: number;
  /** The published model's training data: soft posteriors per comparison; null → train on raw labels. */
  readonly observations: PairObservation[] | null;
  readonly fit: CrowdFit | null;
  readonly flags: LabelerFlag[];
  readonly state: SerializedCrowdReliability | null;
  readonly warmStart: boolean;
  readonly fitMs: number;
}

const CHOICE = { A: 'left', B: 'right', tie: 'tie', both_bad: 'both-bad' } as const;

/** The pair's feature rows, or undefined when a response is no candidate (e.g. a synthetic gold copy). */
function pairOf(candidates: CampaignCandidates, first: string, second: string) {
  const a = candidates.rowOfResponse.get(first);
  const b = candidates.rowOfResponse.get(second);
  if (a === undefined || b === undefined) return undefined;
  const { cols, data } = candidates.features;
  return { first: data.subarray(a * cols, (a + 1) * cols), second: data.subarray(b * cols, (b + 1) * cols) };
}

export async function runCrowdStep(input: CrowdStepInput): Promise<CrowdStep> {
  const started = Date.now();
  const { candidates, settings } = input;
  const minJudgments = settings.minJudgments ?? 30;
  const comparisons = new Map<string, { id: string; first: ArrayLike<number>; second: ArrayLike<number> }>();
  const crowdJudgments: CrowdJudgment[] = [];
  const labelIds: string[] = [];
  let directional = 0;
  for (const j of input.judgments) {
    let comparison = comparisons.get(j.comparisonId);
    if (!comparison) {
      const pair = pairOf(candidates, j.firstResponseId, j.secondResponseId);
      if (!pair) continue;
      comparison = { id: j.comparisonId, ...pair };
      comparisons.set(j.comparisonId, comparison);
    }
    crowdJudgments.push({
      comparison: j.comparisonId,
      labeler: j.labelerId,
      shownLeft: j.firstOnLeft ? 'first' : 'second',
      choice: CHOICE[j.choice],
      ...(j.goldFirst === null ? {} : { gold: j.goldFirst ? 'first' : 'second' }),
    });
    labelIds.push(j.labelId);
    if (j.choice === 'A' || j.choice === 'B') directional++;
  }
  const labelers = new Set(crowdJudgments.map((j) => j.labeler)).size;
  const skip = (reason: string): CrowdStep => ({
    status: 'skipped',
    reason,
    crowdJudgments,
    labelIds,
    labelers,
    observations: null,
    fit: null,
    flags: [],
    state: input.previousState,
    warmStart: false,
    fitMs: Date.now() - started,
  });
  if (directional < minJudgments)
    return skip(`${directional} decisive judgments (the reliability model needs ${minJudgments})`);
  if (labelers < 2) return skip('one labeler only: nothing to weigh their labels against');

  const warmStart = input.previousState !== null;
  const reliability = warmStart
    ? CrowdReliability.load({
        ...input.previousState!,
        options: { ...input.previousState!.options, maxIterations: settings.maxIterations ?? 30 },
      })
    : new CrowdReliability({ maxIterations: settings.maxIterations ?? 30 });
  const learner = bradleyTerryLearner(await input.createLearner());
  const fit = reliability.fit({
    comparisons: [...comparisons.values()],
    judgments: crowdJudgments,
    learner,
    start: warmStart ? 'current' : 'prior',
  });
  // One soft observation per comparison the EM learned from; a comparison with ties only keeps its ½.
  const tied = new Set(input.judgments.filter((j) => j.choice === 'tie').map((j) => j.comparisonId));
  const observations: PairObservation[] = [];
  for (const c of fit.comparisons) {
    const pair = comparisons.get(c.id)!;
    if (c.posterior !== null) observations.push({ first: pair.first, second: pair.second, outcome: c.posterior });
    else if (tied.has(c.id)) observations.push({ first: pair.first, second: pair.second, outcome: 0.5 });
  }
  return {
    status: 'fitted',
    reason: null,
    crowdJudgments,
    labelIds,
    labelers,
    observations,
    fit,
    flags: flagLabelers(fit.labelers, { minAccuracy: settings.minLabelerAccuracy }),
    state: reliability.toJSON(),
    warmStart,
    fitMs: Date.now() - started,
  };
}

/**
 * The published model's P(first better) for every comparison the crowd step saw: σ(u₁ − u₂) for a
 * Bradley–Terry model; a Borda model's scores are on another scale, so they get the Platt scale fitted
 * on its own training data (as the held-out metrics do).
 */
export function comparisonProbabilities(
  model: PreferenceModel,
  bradleyTerry: boolean,
  candidates: CampaignCandidates,
  judgments: readonly CrowdJudgmentRow[],
  training: readonly PairObservation[],
): Map<string, number> {
  const ids: string[] = [];
  const seen = new Set<string>();
  const pairs: PairObservation[] = [];
  for (const j of judgments) {
    if (seen.has(j.comparisonId)) continue;
    seen.add(j.comparisonId);
    const pair = pairOf(candidates, j.firstResponseId, j.secondResponseId);
    if (!pair) continue;
    ids.push(j.comparisonId);
    pairs.push({ ...pair, outcome: 0.5 });
  }
  const scale = bradleyTerry
    ? 1
    : plattScale(
        utilityDifferences(model, training),
        training.map((o) => o.outcome),
      );
  const diff = utilityDifferences(model, pairs);
  return new Map(ids.map((id, i) => [id, 1 / (1 + Math.exp(-scale * diff[i]))]));
}

function targetMetrics(m: {
  count: number;
  accuracy: number;
  logLoss: number;
  brier: number;
  ece: number;
}): CrowdTargetMetrics {
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    count: m.count,
    accuracy: finite(m.accuracy),
    logLoss: finite(m.logLoss),
    brier: finite(m.brier),
    ece: finite(m.ece),
  };
}

/** What the model version's metrics say about the crowd step and the published model's honest scores. */
export function crowdFitMetrics(
  step: CrowdStep,
  probabilityFirst: ReadonlyMap<string, number>,
  acted: { extraJudgmentsRequested: number; paused: number },
): CrowdFitMetrics {
  const scored = step.fit ? crowdMetrics(probabilityFirst, step.crowdJudgments, step.fit.comparisons) : null;
  return {
    status: step.status,
    reason: step.reason,
    judgments: step.crowdJudgments.length,
    labelers: step.labelers,
    flagged: step.flags.filter((f) => f.flagged).length,
    iterations: step.fit?.iterations ?? null,
    converged: step.fit?.converged ?? null,
    warmStart: step.warmStart,
    fitMs: step.fitMs,
    rawLabels: scored ? targetMetrics(scored.rawLabels) : null,
    consensus: scored ? targetMetrics(scored.consensus) : null,
    gold: scored ? targetMetrics(scored.gold) : null,
    ...acted,
  };
}

/**
 * Comparisons that deserve one more judgment: all their decisive votes from labelers the EM trusts
 * less than the default bar, or a majority against a confident model. Gold comparisons never (their
 * answer is known). The trust is the labeler's held-out accuracy estimate.
 */
export function extraJudgmentRequests(
  step: CrowdStep,
  judgments: readonly CrowdJudgmentRow[],
  probabilityFirst: ReadonlyMap<string, number>,
): ExtraJudgmentCandidate[] {
  if (!step.fit) return [];
  const trust = new Map(step.fit.labelers.map((l) => [l.labeler, l.accuracy.estimate]));
  const evidence = judgments
    .filter((j) => j.goldFirst === null && j.outcome !== null && probabilityFirst.has(j.comparisonId))
    .map((j) => ({ comparisonId: j.comparisonId, labelerId: j.labelerId, outcome: j.outcome! }));
  return extraJudgmentCandidates(
    evidence,
    (id) => trust.get(id),
    (id) => probabilityFirst.get(id),
  );
}

/** What storeCrowdFit writes: per-labeler rows, per-label weights, per-comparison consensus. */
export function crowdRecords(step: CrowdStep) {
  if (!step.fit) return null;
  const flags = new Map(step.flags.map((f) => [f.labeler, f]));
  const labelers = step.fit.labelers.map((l) => {
    const flag = flags.get(l.labeler);
    const rate = (x: { rate: number } | null) => (x && Number.isFinite(x.rate) ? x.rate : null);
    return {
      labelerId: l.labeler,
      judgments: l.judgments,
      directional: l.directional,
      accuracy: l.accuracy.estimate,
      accuracyLow: l.accuracy.low,
      accuracyHigh: l.accuracy.high,
      inverted: l.inverted.estimate,
      invertedLow: l.inverted.low,
      invertedHigh: l.inverted.high,
      random: l.random.estimate,
      randomLow: l.random.low,
      randomHigh: l.random.high,
      positionBias: l.positionBias.estimate,
      positionBiasLow: l.positionBias.low,
      positionBiasHigh: l.positionBias.high,
      goldTrials: l.gold?.trials ?? 0,
      goldAccuracy: rate(l.gold),
      goldLow: l.gold ? l.gold.low : null,
      goldHigh: l.gold ? l.gold.high : null,
      agreementWithConsensus: rate(l.agreementWithConsensus),
      agreementWithModel: rate(l.agreementWithModel),
      flagged: flag?.flagged ?? false,
      reasons: flag?.reasons ?? [],
      evidence: flag
        ? { ...flag.evidence, saidLeft: Number.isFinite(flag.evidence.saidLeft) ? flag.evidence.saidLeft : null }
        : {},
    };
  });
  const labelWeights = step.fit.judgments.map((w, i) => ({
    labelId: step.labelIds[i],
    weight: w.weight,
    sign: w.sign,
  }));
  const consensus = step.fit.comparisons.map((c) => ({ comparisonId: c.id, consensus: c.consensus }));
  return { labelers, labelWeights, consensus };
}
