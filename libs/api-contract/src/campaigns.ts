/**
 * Request schemas and response types of the campaigns and import routes. Strategy names are
 * checked against @borda/dueling-bandit by the API (this package stays free of learning code so
 * the labeler app can import it).
 */
import { z } from 'zod';
import { aspectSchema, aspectsSchema, trainingAspectProblem, trainingAspectSchema } from './aspects';
import { JUDGMENT_MODES, MAX_RANK_SIZE, MIN_RANK_SIZE } from './rankings';
import type { ImportFormat, ImportLineCode, ImportRowMapping } from './imports';

export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'completed', 'archived'] as const;
export type CampaignStatusName = (typeof CAMPAIGN_STATUSES)[number];

/** Reward-model families; 'auto' lets the learning code pick the strategy's default. */
export const MODEL_KIND_NAMES = [
  'borda-gp',
  'low-rank-borda',
  'linear-bt',
  'neural-bt',
  'bt-laplace',
  'preferential-gp',
] as const;
export const CAMPAIGN_MODELS = ['auto', ...MODEL_KIND_NAMES] as const;
export const FEATURE_SOURCES = ['text', 'embedding'] as const;

/** Options the strategies read; unknown keys are refused so nobody believes a typo is in effect. */
export const strategyOptionsSchema = z.strictObject({
  beta: z.number().positive('beta must be > 0').max(1e6).optional(),
  posteriorSamples: z.int().min(1).max(10_000).optional(),
  poolFactor: z.int().min(1).max(1_000).optional(),
  initialPoolPrompts: z.int().min(1).optional(),
  maxPoolPrompts: z.int().min(1).optional(),
  /** ae-auto: the second response, the most informative plausible rival or a uniform one. */
  rival: z.enum(['informative', 'uniform']).optional(),
});

const positive = (name: string) => z.number().positive(`${name} must be > 0`).max(1e6);
const count = (max: number) => z.int().min(1).max(max);

/**
 * Options of the reward model and the policies (every field optional; see docs/algorithms.md for what
 * each does). Unknown keys are refused, as for strategyOptions: a misspelt option would otherwise be
 * ignored silently, and a bad value would fail every learning job instead of the request.
 */
export const modelOptionsSchema = z.strictObject({
  lengthscale: positive('lengthscale').optional(),
  lengthscales: z.array(positive('each lengthscale')).min(1).max(4096).optional(),
  randomFeatures: count(16_384).optional(),
  regularization: positive('regularization').optional(),
  signalVariance: positive('signalVariance').optional(),
  noiseVariance: positive('noiseVariance').optional(),
  learnHyperparameters: z.boolean().optional(),
  featureMap: z.enum(['auto', 'linear', 'rff', 'linear+rff']).optional(),
  priorPrecision: z.array(positive('each prior precision')).min(1).max(2).optional(),
  neural: z
    .strictObject({
      members: count(32).optional(),
      hiddenUnits: z.array(count(4096)).min(1).max(8).optional(),
      epochs: count(100_000).optional(),
      updateEpochs: count(100_000).optional(),
      retrainEvery: count(1_000_000).optional(),
    })
    .optional(),
  /** Arm scoring of the low-rank Borda and Laplace BT models: float64 (exact) or float32 (fast); default by size. */
  precision: z.enum(['float64', 'float32']).optional(),
  softTemperature: positive('softTemperature').optional(),
  dpo: z
    .strictObject({
      beta: positive('beta').optional(),
      hiddenUnits: z.array(count(4096)).min(1).max(8).optional(),
      epochs: count(100_000).optional(),
      learningRate: z.number().positive().max(10).optional(),
      l2: z.number().min(0).max(1e6).optional(),
    })
    .optional(),
});
export type ModelOptionsInput = z.infer<typeof modelOptionsSchema>;

const tunables = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000),
  guidelines: z.string().max(100_000),
  strategyOptions: strategyOptionsSchema,
  budget: z.int().min(1, 'budget must be at least 1').max(100_000_000),
  retrainEvery: z.int().min(1).max(1_000_000),
  batchSize: z.int().min(1).max(1024),
  bufferSize: z.int().min(1).max(100_000),
  leaseSeconds: z.int().min(30).max(86_400),
  /** Share of comparisons drawn uniformly at random as the unbiased yardstick (0 turns it off). */
  yardstickShare: z.number().min(0).max(0.5, 'yardstickShare must be at most 0.5'),
  // ---- crowd quality (issue 10) ----
  /** Share of each labeler's leases that are gold comparisons (0 turns gold off). */
  goldRate: z.number().min(0).max(0.5, 'goldRate must be at most 0.5'),
  /** Show a labeler the expected side right after they miss a gold comparison. */
  goldFeedback: z.boolean(),
  /** Seconds after a judgment during which its labeler may change it (0: never). */
  undoWindowSeconds: z.int().min(0).max(86_400),
  /** Extra judgments a comparison whose judgments split evenly may get before it goes to review (0: straight to review). */
  splitExtraCap: z.int().min(0).max(10),
  /** Extra judgments the learning code may ask for per comparison (low-trust labeler, surprised model). */
  extraJudgmentCap: z.int().min(0).max(10),
  /**
   * A labeler is flagged at a fit when the 95 % upper bound of their estimated accuracy is below this
   * (default 0.8: with ~60 judgments the bound sits ~0.13 above the estimate, so a coin-flipper is
   * caught while an honest labeler at 0.85–0.9 would need to score ~0.67).
   */
  minLabelerAccuracy: z.number().min(0.5).max(1),
  /** Flagged labelers are paused by the fit (audit-logged); a researcher resumes them. */
  autoPauseFlagged: z.boolean(),
};

const structural = {
  strategy: z.string().min(1),
  model: z.enum(CAMPAIGN_MODELS),
  modelOptions: modelOptionsSchema,
  redundancy: z.int().min(1).max(20),
  featureSource: z.enum(FEATURE_SOURCES),
  featureDim: z.int().min(2).max(4096),
  seed: z.int().min(-2_147_483_648).max(2_147_483_647),
  /** 'ranking': tasks of rankSize responses put in order instead of pairs (rankings.ts). */
  judgmentMode: z.enum(JUDGMENT_MODES),
  rankSize: z.int().min(MIN_RANK_SIZE).max(MAX_RANK_SIZE),
  /** Extra questions per judgment (aspects.ts); they shape the data collected: draft only. */
  aspects: aspectsSchema,
  trainingAspect: trainingAspectSchema,
};

const bufferCheck = (v: { batchSize?: number; bufferSize?: number }) =>
  v.batchSize === undefined || v.bufferSize === undefined || v.bufferSize >= v.batchSize;
const bufferIssue = { message: 'bufferSize must be at least batchSize', path: ['bufferSize'] };

export const createCampaignSchema = z
  .strictObject({
    name: tunables.name,
    description: tunables.description.default(''),
    guidelines: tunables.guidelines.default(''),
    // The selection libraries' DEFAULT_STRATEGY (this package does not depend on them; a test keeps the two equal).
    strategy: structural.strategy.default('ae-auto'),
    strategyOptions: tunables.strategyOptions.default({}),
    model: structural.model.default('auto'),
    modelOptions: structural.modelOptions.default({}),
    budget: tunables.budget,
    redundancy: structural.redundancy.default(1),
    retrainEvery: tunables.retrainEvery.default(50),
    batchSize: tunables.batchSize.default(16),
    bufferSize: tunables.bufferSize.default(32),
    leaseSeconds: tunables.leaseSeconds.default(300),
    yardstickShare: tunables.yardstickShare.default(0.1),
    goldRate: tunables.goldRate.default(0),
    goldFeedback: tunables.goldFeedback.default(false),
    undoWindowSeconds: tunables.undoWindowSeconds.default(120),
    splitExtraCap: tunables.splitExtraCap.default(1),
    // Off unless asked for: in the crowd bench extra judgments bought no measurable accuracy, and with an
    // honest crowd a noisy judgment 'contradicts a confident model' often enough to spend much of the budget.
    extraJudgmentCap: tunables.extraJudgmentCap.default(0),
    minLabelerAccuracy: tunables.minLabelerAccuracy.default(0.8),
    autoPauseFlagged: tunables.autoPauseFlagged.default(false),
    featureSource: structural.featureSource.default('text'),
    featureDim: structural.featureDim.default(32),
    seed: structural.seed.default(1),
    judgmentMode: structural.judgmentMode.default('pairwise'),
    rankSize: structural.rankSize.default(4),
    labelerIds: z.array(z.uuid()).max(10_000).default([]),
    aspects: structural.aspects.default([]),
    trainingAspect: structural.trainingAspect.default(null),
  })
  .refine(bufferCheck, bufferIssue)
  .superRefine((v, ctx) => {
    const problem = trainingAspectProblem(v.aspects, v.trainingAspect);
    if (problem) ctx.addIssue({ code: 'custom', path: ['trainingAspect'], message: problem });
  });
export type CreateCampaignRequest = z.input<typeof createCampaignSchema>;

/** Tunables may change any time; structural fields only while the campaign is a draft. */
export const updateCampaignSchema = z
  .strictObject({ ...tunables, ...structural })
  .partial()
  .refine(bufferCheck, bufferIssue);
export type UpdateCampaignRequest = z.input<typeof updateCampaignSchema>;
export const STRUCTURAL_FIELDS = Object.keys(structural) as readonly (keyof typeof structural)[];

export const setLabelersSchema = z.strictObject({ labelerIds: z.array(z.uuid()).max(10_000) });
export type SetLabelersRequest = z.infer<typeof setLabelersSchema>;

export const listPromptsQuerySchema = z.object({
  cursor: z.coerce.number().int().min(-1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const listLimitQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1).optional(),
});

export const campaignCountsSchema = z
  .object({
    prompts: z.number().int(),
    responses: z.number().int(),
    comparisons: z
      .object({ open: z.number().int(), complete: z.number().int(), cancelled: z.number().int() })
      .readonly(),
    labels: z.number().int(),
    skips: z.number().int(),
  })
  .readonly();
export type CampaignCounts = z.infer<typeof campaignCountsSchema>;

/** Response schemas are the source of their types (and of the OpenAPI document: libs/api-contract/src/responses.ts). */
export const campaignViewSchema = z
  .object({
    id: z.uuid(),
    ownerId: z.uuid(),
    name: z.string(),
    description: z.string(),
    guidelines: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    strategy: z.string(),
    strategyOptions: z.record(z.string(), z.unknown()),
    model: z.string(),
    modelOptions: z.record(z.string(), z.unknown()),
    budget: z.number().int(),
    redundancy: z.number().int(),
    retrainEvery: z.number().int(),
    batchSize: z.number().int(),
    bufferSize: z.number().int(),
    leaseSeconds: z.number().int(),
    /** Share of comparisons drawn uniformly at random: the unbiased held-out set (see ModelMetrics.yardstick). */
    yardstickShare: z.number(),
    /**
     * Crowd quality (issue 10): gold serving, undo window and extra-judgment caps (see
     * createCampaignSchema). The API always sends them; optional so older fixtures stay valid.
     */
    goldRate: z.number().optional(),
    goldFeedback: z.boolean().optional(),
    undoWindowSeconds: z.number().int().optional(),
    splitExtraCap: z.number().int().optional(),
    extraJudgmentCap: z.number().int().optional(),
    /** Labeler flag threshold and auto-pause (issue 10 item 4; see createCampaignSchema). */
    minLabelerAccuracy: z.number().optional(),
    autoPauseFlagged: z.boolean().optional(),
    featureSource: z.enum(FEATURE_SOURCES),
    featureDim: z.number().int(),
    seed: z.number().int(),
    /** Ranking campaigns (rankings.ts); optional so older fixtures stay valid. */
    judgmentMode: z.enum(JUDGMENT_MODES).optional(),
    rankSize: z.number().int().optional(),
    labelCount: z.number().int(),
    promptCount: z.number().int(),
    responseCount: z.number().int(),
    /** labelCount / budget. */
    budgetUsed: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    /**
     * Set when a learning job paused the campaign because its data cannot be learned from (a value
     * that is not a finite float32, a missing embedding): the reason, naming the row. Resuming clears it.
     */
    haltedReason: z.string().nullable(),
    /** Extra questions per judgment and the one that trains (aspects.ts); optional for older fixtures. */
    aspects: z.array(aspectSchema).readonly().optional(),
    trainingAspect: z.string().nullable().optional(),
    counts: campaignCountsSchema.optional(),
    labelerIds: z.array(z.uuid()).readonly().optional(),
  })
  .readonly();
export type CampaignView = z.infer<typeof campaignViewSchema>;

/** What a labeler sees of a campaign: no configuration, no other labelers. */
export const labelerCampaignViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    guidelines: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    /** The extra questions the comparison screen asks (none when absent). */
    aspects: z.array(aspectSchema).readonly().optional(),
    progress: z
      .object({
        labelCount: z.number().int(),
        budget: z.number().int(),
        /** Comparisons this labeler could still take now. */
        remaining: z.number().int(),
        /** Judgments (not skips) this labeler gave. */
        done: z.number().int(),
      })
      .readonly(),
  })
  .readonly();
export type LabelerCampaignView = z.infer<typeof labelerCampaignViewSchema>;

export interface CampaignLabelerView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly assignedAt: string;
}

export interface ResponseView {
  readonly id: string;
  readonly ordinal: number;
  readonly externalId: string | null;
  readonly text: string;
  readonly sourceModel: string | null;
  readonly referenceLogprob: number | null;
  readonly metadata: unknown;
}

export interface PromptView {
  readonly id: string;
  readonly externalId: string;
  readonly ordinal: number;
  readonly text: string | null;
  readonly messages: unknown;
  readonly metadata: unknown;
  readonly featurized: boolean;
  readonly responses: readonly ResponseView[];
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `cursor` for the next page; null at the end. */
  readonly nextCursor: string | null;
}

export interface JobRunView {
  readonly id: string;
  readonly name: string;
  readonly state: 'queued' | 'active' | 'completed' | 'failed';
  readonly progress: number;
  readonly attempts: number;
  readonly error: string | null;
  readonly result: unknown;
  readonly queuedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** One bad JSONL line: 1-based line number, dotted path inside the line, what is wrong. */
export interface ImportLineError {
  readonly line: number;
  readonly path: string;
  readonly message: string;
  /** Why, machine-readable: always set by the prompt import (see PromptImportLineError), not by the gold import. */
  readonly code?: ImportLineCode;
}

/** 422 IMPORT_INVALID details, and the body of a dry run. */
export interface ImportReport {
  readonly valid: boolean;
  readonly promptCount: number;
  readonly responseCount: number;
  /** At most IMPORT_ERROR_LIMIT entries; errorCount counts them all. */
  readonly errors: readonly ImportLineError[];
  readonly errorCount: number;
  readonly linesRead: number;
  /** The row format read (given as ?format= or detected from the first row). */
  readonly format?: ImportFormat;
  /** Existing judgments in the file (imported as labels unless ?judgments=false). */
  readonly judgmentCount?: number;
  /** Dry run: how the first IMPORT_ERROR_LIMIT valid rows were mapped. */
  readonly rows?: readonly ImportRowMapping[];
}

export const IMPORT_ERROR_LIMIT = 1000;

export interface ImportResult {
  readonly importId: string;
  readonly promptCount: number;
  readonly responseCount: number;
  /** Prompts in the campaign after the import. */
  readonly totalPrompts: number;
  readonly format?: ImportFormat;
  /** Existing judgments imported as labels (source: the format). */
  readonly judgmentCount?: number;
}

/** Content types the import route reads as JSONL. */
export const IMPORT_CONTENT_TYPES = ['application/x-ndjson', 'application/jsonl', 'text/plain'] as const;
