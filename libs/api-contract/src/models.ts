/**
 * What the learning jobs store and the read routes return about reward models and policies.
 * RewardModelFit writes ModelMetrics into model_versions.metrics and CertificateView into
 * model_versions.certificate; PolicyFit writes PolicyResponseScore[] into policy_entries.responses.
 */
import { z } from 'zod';
import type { Page } from './campaigns';

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
  /**
   * What the held-out set is: 'yardstick', half of the labels on uniformly drawn comparisons (unbiased);
   * 'hashed', a hashed share of all labels (used until there are enough yardstick labels; actively chosen
   * labels are a biased sample, so these numbers can flatter or wrong the model).
   */
  readonly heldOutSource?: 'yardstick' | 'hashed';
  /** The uniform-only baseline against the active model at the same budget, on the same held-out labels. */
  readonly yardstick?: YardstickComparison | null;
  /**
   * The hyperparameters and evidence this fit learned, on its training split (the published model and the
   * yardstick baselines reuse them), as the model reports them (e.g. bt-laplace: featureMap, lengthscale,
   * precisions, logEvidence and `choice`, the feature map chosen with every candidate's score; borda-gp:
   * lengthscales, signal and noise variance, log marginal likelihood).
   */
  readonly hyperparameters?: Record<string, unknown> | null;
  /** The crowd reliability step of the fit and the published model scored on raw labels, consensus and gold. */
  readonly crowd?: CrowdFitMetrics;
}

/** Accuracy, log-loss, Brier and ECE of the published model against one target (NaN-free: null without targets). */
export interface CrowdTargetMetrics {
  readonly count: number;
  readonly accuracy: number | null;
  readonly logLoss: number | null;
  readonly brier: number | null;
  readonly ece: number | null;
}

export interface CrowdFitMetrics {
  /**
   * 'fitted': the published model was trained on one soft observation per comparison, the reliability
   * model's posterior; 'skipped': trained on the raw labels, for `reason` (too few judgments, one labeler).
   */
  readonly status: 'fitted' | 'skipped';
  readonly reason: string | null;
  readonly judgments: number;
  readonly labelers: number;
  readonly flagged: number;
  readonly iterations: number | null;
  readonly converged: boolean | null;
  readonly warmStart: boolean;
  readonly fitMs: number;
  /** Against every decisive raw label, against the reliability-weighted consensus, against gold answers. */
  readonly rawLabels: CrowdTargetMetrics | null;
  readonly consensus: CrowdTargetMetrics | null;
  readonly gold: CrowdTargetMetrics | null;
  /** Comparisons for which the fit asked one more judgment (low-trust labelers, a contradicted confident model). */
  readonly extraJudgmentsRequested: number;
  /** Labelers the fit paused (campaign.autoPauseFlagged). */
  readonly paused: number;
}

/** One model's score on the yardstick's held-out labels. */
export interface YardstickScore {
  readonly trainSize: number;
  readonly accuracy: number | null;
  readonly logLoss: number | null;
}

export interface YardstickComparison {
  /** Fitted on the other half of the yardstick labels only. */
  readonly uniformOnly: YardstickScore;
  /** Fitted on as many actively chosen labels (a hashed subsample). */
  readonly activeSameBudget: YardstickScore;
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
  /** Change of the greedy picks against the previous policy version (null for the first). */
  readonly churn?: PolicyChurn | null;
}

/** How much a policy version changed the previous one's greedy picks, priced by the new model. */
export interface PolicyChurn {
  readonly previousVersion: number;
  /** Prompts that both versions pick for. */
  readonly comparedPrompts: number;
  readonly changedPrompts: number;
  readonly changedShare: number;
  /** Mean over compared prompts of μ_new(new pick) − μ_new(old pick): the value the new model expects per prompt. */
  readonly estimatedGain: number;
  /** The same, over the changed prompts only. */
  readonly meanGainWhereChanged: number;
  /** 'borda' (Borda-score units) or 'reward' (Bradley–Terry reward units). */
  readonly units: 'borda' | 'reward';
}

/** GET /campaigns/:id/policy/versions: every policy version's summary, newest first. */
export type PolicyVersionList = readonly PolicyVersionInfo[];

// ---- Read routes over models and policies (GET /campaigns/:id/models, /certificate, /policy) ----

/** GET /campaigns/:id/models?limit&cursor: newest first, a page of versions (Page<ModelVersionSummary>). */
export const modelListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `nextCursor` of the previous page. */
  cursor: z.coerce.number().int().min(1).optional(),
});
export type ModelListQuery = z.infer<typeof modelListQuerySchema>;

/** One row of GET /campaigns/:id/models (newest first); the calibration bins are in the detail only. */
export interface ModelVersionSummary {
  readonly version: number;
  readonly kind: string;
  readonly labelCount: number;
  readonly metrics: Omit<ModelMetrics, 'calibration'>;
  /** The certificate's worst-case gap; null when the fit stored no certificate. */
  readonly gap: number | null;
  readonly createdAt: string;
}

/** GET /campaigns/:id/models/:version; `parameters` only with ?includeParameters=true. */
export interface ModelVersionDetail {
  readonly id: string;
  readonly version: number;
  readonly kind: string;
  readonly labelCount: number;
  readonly metrics: ModelMetrics;
  readonly certificate: CertificateView | null;
  readonly jobRunId: string | null;
  readonly createdAt: string;
  readonly parameters?: unknown;
}

/** GET /campaigns/:id/certificate: the newest version's certificate and every version's gap (oldest first). */
export interface CertificateResponse {
  readonly version: number;
  readonly createdAt: string;
  readonly current: CertificateView | null;
  readonly history: readonly { readonly version: number; readonly labelCount: number; readonly gap: number }[];
}

export const POLICY_SORTS = ['prompt', 'confidence', 'gap'] as const;
export type PolicySort = (typeof POLICY_SORTS)[number];

export const policyQuerySchema = z.object({
  /** prompt: import order; confidence: least confident (smallest LCB margin) first; gap: largest gap first. */
  sort: z.enum(POLICY_SORTS).default('prompt'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** The `nextCursor` of the previous page (the last prompt's id; pages follow the newest policy version). */
  cursor: z.string().max(100).optional(),
});
export type PolicyQuery = z.infer<typeof policyQuerySchema>;

/** The response each policy kind picks for a prompt (dpo null without reference log-probabilities). */
export interface PolicyPicks {
  readonly greedy: string;
  readonly pessimistic: string;
  readonly soft: string;
  readonly dpo: string | null;
}

export interface PolicyEntryView {
  readonly promptId: string;
  readonly externalId: string;
  /** The prompt text (or its last user turn), cut to 160 characters. */
  readonly snippet: string;
  readonly picks: PolicyPicks;
  readonly mean: number;
  readonly std: number;
  /** LCB margin of the greedy pick: > 0 means it is the best response at confidence β. */
  readonly confidence: number;
  readonly gap: number;
}

export interface PolicyVersionInfo {
  readonly version: number;
  readonly modelVersion: number;
  readonly labelCount: number;
  readonly createdAt: string;
  readonly summary: PolicySummary;
}

/** GET /campaigns/:id/policy: the newest policy version, one page of its entries. */
export interface PolicyPage extends Page<PolicyEntryView> {
  readonly policy: PolicyVersionInfo;
}

export interface PolicyPromptLabel {
  readonly id: string;
  readonly labelerId: string;
  readonly labelerName: string;
  readonly choice: 'A' | 'B' | 'tie' | 'both_bad' | 'skip';
  readonly leftResponseId: string;
  readonly rightResponseId: string;
  /** 1 first preferred, 0 second, 0.5 tie; null for both_bad and skip. */
  readonly outcome: number | null;
  readonly strength: number | null;
  readonly rationale: string | null;
  readonly skipReason: string | null;
  readonly timeTakenMs: number | null;
  readonly createdAt: string;
}

export interface PolicyPromptComparison {
  readonly id: string;
  readonly firstResponseId: string;
  readonly secondResponseId: string;
  readonly strategy: string;
  readonly score: number;
  /** The model version that chose the comparison (null before the first fit). */
  readonly modelVersion: number | null;
  readonly state: string;
  readonly createdAt: string;
  readonly labels: readonly PolicyPromptLabel[];
}

/** GET /campaigns/:id/policy/prompts/:promptId. */
export interface PolicyPromptDetail {
  readonly policy: { readonly version: number; readonly modelVersion: number };
  readonly prompt: {
    readonly id: string;
    readonly externalId: string;
    readonly text: string | null;
    readonly messages: unknown;
    readonly metadata: unknown;
  };
  /** Every response with its scores, best posterior mean first. */
  readonly responses: readonly (PolicyResponseScore & { readonly text: string; readonly rank: number })[];
  readonly picks: PolicyPicks;
  readonly confidence: number;
  readonly gap: number;
  /** Comparisons on this prompt that received labels, newest first, with every label. */
  readonly comparisons: readonly PolicyPromptComparison[];
}
