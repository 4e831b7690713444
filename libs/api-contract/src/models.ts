/**
 * What the learning jobs store and the read routes return about reward models and policies.
 * RewardModelFit writes ModelMetrics into model_versions.metrics and CertificateView into
 * model_versions.certificate; PolicyFit writes PolicyResponseScore[] into policy_entries.responses.
 */

/** One reliability-diagram bin over held-out judgments. */
export interface CalibrationBin {
  /** Bin range of the predicted P(first preferred). */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  readonly meanPredicted: number;
  /** Observed rate of "first preferred" (ties count ½). */
  readonly observedRate: number;
}

export interface ModelMetrics {
  readonly modelKind: string;
  /** Judgments fitted on and held out (decisive and ties; both-bad and skips are not training data). */
  readonly trainSize: number;
  readonly testSize: number;
  /** Share of held-out decisive judgments whose winner the model ranks higher; null without a test split. */
  readonly heldOutAccuracy: number | null;
  /** Mean negative log-likelihood of held-out outcomes under the calibrated pairwise probability. */
  readonly logLoss: number | null;
  readonly brier: number | null;
  /** Expected calibration error over the bins. */
  readonly ece: number | null;
  readonly calibration: readonly CalibrationBin[];
  /** Scale a of P(first ≻ second) = σ(a·(u_first − u_second)), fitted on the training split (Platt scaling). */
  readonly probabilityScale: number;
  readonly fitMs: number;
  /** The TensorFlow.js backend of a neural model. */
  readonly tensorflowBackend?: string;
}

export interface CertificateView {
  /** max over prompts of max UCB − max LCB: the most the pessimistic policy can lose on any prompt. */
  readonly gap: number;
  /** The prompt attaining it (its id), null when no prompt has two responses. */
  readonly promptId: string | null;
  readonly meanGap: number;
  /** 'borda' (Borda-score units) or 'reward' (Bradley–Terry reward units). */
  readonly units: 'borda' | 'reward';
  readonly beta: number;
  readonly prompts: number;
  readonly labelCount: number;
}

export interface PolicyResponseScore {
  readonly responseId: string;
  readonly ordinal: number;
  readonly mean: number;
  readonly std: number;
  readonly lcb: number;
  readonly ucb: number;
  /** π(a|x) of the KL-regularised soft policy. */
  readonly softProbability: number;
  /** π_θ(a|x) of the DPO policy network; null when the campaign has no reference log-probabilities. */
  readonly dpoProbability: number | null;
}

export interface PolicySummary {
  readonly prompts: number;
  /** Prompts whose greedy pick is the best response at confidence β (LCB margin > 0). */
  readonly confidentPrompts: number;
  /** Share of prompts where the pessimistic / soft / DPO pick equals the greedy pick. */
  readonly agreement: { readonly pessimistic: number; readonly soft: number; readonly dpo: number | null };
  readonly softTemperature: number;
  readonly beta: number;
  readonly dpo: { readonly trainPairs: number; readonly finalLoss: number; readonly beta: number } | null;
}
