/**
 * CrowdReliability: the stateful face of the crowd EM (crowd-em.ts). `fit` estimates every labeler's
 * confusion jointly with a pluggable reward model and reports labelers, judgments and comparisons;
 * the state kept between fits is each labeler's soft counts, so a later fit can start from them,
 * a new judgment can be weighed without refitting, and `toJSON`/`load` round-trip it exactly.
 */
import { type CrowdComparison, type CrowdJudgment, indexCrowd, judgmentEvidence } from './crowd-data';
import { type CrowdEmResult, runCrowdEm } from './crowd-em';
import {
  type ComparisonConsensus,
  type JudgmentWeight,
  type LabelerReliability,
  comparisonConsensus,
  judgmentWeights,
  labelerReliabilities,
} from './crowd-reports';
import {
  type Confusion,
  type ConfusionCounts,
  EMPTY_COUNTS,
  type LabelerPrior,
  confusionMode,
  validatePrior,
} from './labeler-confusion';
import type { CrowdRewardLearner } from './reward-learner';

export interface CrowdReliabilityOptions {
  /** Accuracy a labeler is presumed to have before their judgments say otherwise (default 0.8). */
  readonly priorAccuracy?: number;
  /** Pseudo-judgments per truth side behind that presumption (default 4). */
  readonly priorStrength?: number;
  /** Cap on EM iterations (default 200). */
  readonly maxIterations?: number;
  /** EM stops once an iteration gains less than tolerance·(1 + |objective|) (default 1e-9). */
  readonly tolerance?: number;
  /** Equal-probability points per Beta posterior for the derived intervals (default 100). */
  readonly intervalGrid?: number;
}

export interface CrowdFitInput {
  readonly comparisons: readonly CrowdComparison[];
  readonly judgments: readonly CrowdJudgment[];
  /** The reward model refitted in every M-step (e.g. `bradleyTerryLearner(new LinearBradleyTerry(...))`). */
  readonly learner: CrowdRewardLearner;
  /** Start labelers at the prior (default) or at this object's current state (a warm start). */
  readonly start?: 'prior' | 'current';
}

export interface CrowdFit {
  readonly labelers: LabelerReliability[];
  readonly judgments: JudgmentWeight[];
  readonly comparisons: ComparisonConsensus[];
  /** EM objective (log posterior up to a constant) after each iteration; never decreases. */
  readonly objectiveHistory: number[];
  readonly iterations: number;
  readonly converged: boolean;
}

export interface SerializedCrowdReliability {
  readonly kind: 'crowd-reliability';
  readonly version: 1;
  readonly options: Required<CrowdReliabilityOptions>;
  readonly labelers: { readonly labeler: string; readonly counts: ConfusionCounts }[];
  readonly iterations: number;
  readonly converged: boolean;
  readonly objective: number | null;
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${field} must be a positive integer, got ${value}`);
  return value;
}

function checkCounts(counts: ConfusionCounts, labeler: string): void {
  const { leftBetter, saidLeftWhenLeftBetter, rightBetter, saidLeftWhenRightBetter } = counts;
  const ok =
    [leftBetter, saidLeftWhenLeftBetter, rightBetter, saidLeftWhenRightBetter].every(
      (v) => Number.isFinite(v) && v >= 0,
    ) &&
    saidLeftWhenLeftBetter <= leftBetter + 1e-9 &&
    saidLeftWhenRightBetter <= rightBetter + 1e-9;
  if (!ok) throw new RangeError(`labeler '${labeler}' has invalid confusion counts`);
}

export class CrowdReliability {
  readonly options: Required<CrowdReliabilityOptions>;
  readonly prior: LabelerPrior;
  private state = new Map<string, ConfusionCounts>();
  private lastIterations = 0;
  private lastConverged = false;
  private lastObjective: number | null = null;

  constructor(options: CrowdReliabilityOptions = {}) {
    this.options = {
      priorAccuracy: options.priorAccuracy ?? 0.8,
      priorStrength: options.priorStrength ?? 4,
      maxIterations: positiveInteger(options.maxIterations ?? 200, 'maxIterations'),
      tolerance: options.tolerance ?? 1e-9,
      intervalGrid: positiveInteger(options.intervalGrid ?? 100, 'intervalGrid'),
    };
    if (!(this.options.tolerance >= 0)) throw new RangeError(`tolerance must be ≥ 0, got ${this.options.tolerance}`);
    this.prior = { priorAccuracy: this.options.priorAccuracy, priorStrength: this.options.priorStrength };
    validatePrior(this.prior);
  }

  /** Labelers with stored state. */
  get labelerIds(): string[] {
    return [...this.state.keys()];
  }

  /** The labeler's confusion (posterior mode); the prior's for a labeler never seen. */
  confusion(labeler: string): Confusion {
    return confusionMode(this.state.get(labeler) ?? EMPTY_COUNTS, this.prior);
  }

  /** Weighs one judgment (e.g. a fresh one) with the stored confusions, without refitting. */
  weigh(judgment: Pick<CrowdJudgment, 'labeler' | 'shownLeft' | 'choice' | 'comparison'>): JudgmentWeight {
    const saysLeft = judgment.choice === 'left' ? 1 : judgment.choice === 'right' ? 0 : -1;
    const firstLeft = judgment.shownLeft === 'first' ? 1 : 0;
    const evidence = judgmentEvidence(this.confusion(judgment.labeler), saysLeft, firstLeft);
    const first = saysLeft === firstLeft;
    const sign: 1 | -1 | 0 = saysLeft < 0 || Math.abs(evidence) <= 1e-12 ? 0 : evidence > 0 === first ? 1 : -1;
    return {
      comparison: judgment.comparison,
      labeler: judgment.labeler,
      choice: judgment.choice,
      evidence,
      weight: Math.abs(Math.tanh(evidence / 2)),
      sign,
    };
  }

  fit(input: CrowdFitInput): CrowdFit {
    const data = indexCrowd(input.comparisons, input.judgments);
    const start = data.labelerIds.map((id) =>
      input.start === 'current' ? this.confusion(id) : confusionMode(EMPTY_COUNTS, this.prior),
    );
    const result: CrowdEmResult = runCrowdEm(data, input.comparisons, input.learner, start, {
      prior: this.prior,
      maxIterations: this.options.maxIterations,
      tolerance: this.options.tolerance,
    });
    this.state = new Map(data.labelerIds.map((id, l) => [id, result.counts[l]]));
    this.lastIterations = result.iterations;
    this.lastConverged = result.converged;
    this.lastObjective = result.objectiveHistory[result.objectiveHistory.length - 1];
    return {
      labelers: labelerReliabilities(data, result, this.prior, this.options.intervalGrid),
      judgments: judgmentWeights(
        data,
        result,
        input.judgments.map((j) => j.choice),
      ),
      comparisons: comparisonConsensus(data, result),
      objectiveHistory: result.objectiveHistory,
      iterations: result.iterations,
      converged: result.converged,
    };
  }

  toJSON(): SerializedCrowdReliability {
    return {
      kind: 'crowd-reliability',
      version: 1,
      options: { ...this.options },
      labelers: [...this.state].map(([labeler, counts]) => ({ labeler, counts: { ...counts } })),
      iterations: this.lastIterations,
      converged: this.lastConverged,
      objective: this.lastObjective,
    };
  }

  static load(json: SerializedCrowdReliability): CrowdReliability {
    if (json.kind !== 'crowd-reliability')
      throw new RangeError(`kind must be 'crowd-reliability', got ${String(json.kind)}`);
    if (json.version !== 1) throw new RangeError(`unsupported crowd-reliability version ${String(json.version)}`);
    const model = new CrowdReliability(json.options);
    for (const { labeler, counts } of json.labelers) {
      checkCounts(counts, labeler);
      if (model.state.has(labeler)) throw new RangeError(`labeler '${labeler}' appears twice`);
      model.state.set(labeler, { ...counts });
    }
    model.lastIterations = json.iterations;
    model.lastConverged = json.converged;
    model.lastObjective = json.objective;
    return model;
  }
}
