/**
 * Picks and builds the reward model a campaign's strategy runs on. `campaign.modelKind` 'auto'
 * resolves per fit: Borda strategies get the exact GP while it is affordable (predicting every arm
 * costs about arms · labels² flops: ≤ GP_MAX_WORK, a few seconds here), else low-rank Borda
 * regression on random Fourier features; every other strategy its own family (strategyModelKind):
 * ae-auto, the default, the Laplace Bradley–Terry model whose feature map is chosen from the labels;
 * apo/maxinp/dts/bald a linear Bradley–Terry model on random Fourier features; ae-neural the neural BT
 * model. Hyperparameters are learned at every fit. The model itself comes from the factory of
 * @borda/simulator, the one the regret simulator uses, so both build the same model from the same
 * options.
 */
import {
  type AnyStrategyOptions,
  type StrategyName,
  isStrategyName,
  strategyCompatibleModelKinds,
  strategyModelKind,
} from '@borda/dueling-bandit';
import { modelOptionsSchema, strategyOptionsSchema } from '@borda/api-contract';
import type { FeatureMatrix } from '@borda/numeric';
import { type ModelKind, type PreferenceModel, type SerializedModel, initTensorflow } from '@borda/reward-model';
import { type ModelFactoryOptions, createPreferenceModel } from '@borda/simulator';
import type { z } from 'zod';
import { CampaignDataError } from './campaign-data-error';

/** arms · labels² above which the exact GP's full prediction (O(n²) per arm) is too slow for a job. */
export const GP_MAX_WORK = 2e9;
const BORDA_STRATEGIES: readonly string[] = ['ae-borda', 'uniform-borda', 'uniform'];

/** The campaign fields the learning code reads. */
export interface LearningCampaign {
  readonly id: string;
  readonly strategy: string;
  readonly modelKind: string;
  readonly modelOptions: unknown;
  readonly strategyOptions: unknown;
  readonly seed: number;
}

/** modelOptions fields the service understands (all optional): the model factory's, plus the policies'. */
export interface ModelOptions extends Omit<ModelFactoryOptions, 'trackCandidates' | 'trackingBudget'> {
  readonly softTemperature?: number;
  readonly dpo?: { beta?: number; hiddenUnits?: number[]; epochs?: number; learningRate?: number; l2?: number };
}

/**
 * The stored JSON columns are parsed with the schemas the API validated them with on the way in, not
 * cast: a row written before a schema change (or by hand) that no longer fits halts the campaign with
 * the reason, instead of feeding the models a value they were never meant to take.
 */
function parseStored<T>(schema: z.ZodType<T>, value: unknown, column: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${[column, ...i.path.map(String)].join('.')}: ${i.message}`);
  throw new CampaignDataError(`the campaign's stored ${column} are invalid: ${problems.join('; ')}`);
}

export function modelOptionsOf(campaign: Pick<LearningCampaign, 'modelOptions'>): ModelOptions {
  return parseStored(modelOptionsSchema, campaign.modelOptions, 'modelOptions');
}

export function strategyOptionsOf(campaign: Pick<LearningCampaign, 'strategyOptions'>): AnyStrategyOptions {
  return parseStored(strategyOptionsSchema, campaign.strategyOptions, 'strategyOptions');
}

/** β of the confidence bounds: strategyOptions.beta, default 2. */
export function betaOf(campaign: Pick<LearningCampaign, 'strategyOptions'>): number {
  const beta = strategyOptionsOf(campaign).beta;
  return typeof beta === 'number' && Number.isFinite(beta) && beta >= 0 ? beta : 2;
}

export function strategyOf(campaign: Pick<LearningCampaign, 'strategy'>): StrategyName {
  if (!isStrategyName(campaign.strategy)) throw new RangeError(`unknown strategy '${campaign.strategy}'`);
  return campaign.strategy;
}

export function isBordaKind(kind: string): boolean {
  return kind === 'borda-gp' || kind === 'low-rank-borda';
}

/** The concrete model kind for a campaign of this size. */
export function resolveModelKind(campaign: LearningCampaign, arms: number, labels: number): ModelKind {
  const strategy = strategyOf(campaign);
  const compatible = strategyCompatibleModelKinds(strategy);
  if (campaign.modelKind !== 'auto') {
    if (!compatible.includes(campaign.modelKind as ModelKind)) {
      throw new RangeError(
        `model kind '${campaign.modelKind}' does not fit strategy '${strategy}' (use one of ${compatible.join(', ')})`,
      );
    }
    return campaign.modelKind as ModelKind;
  }
  // The Borda family switches to the low-rank model where the exact GP's O(arms · labels²) scoring
  // is too slow for a job; every other strategy runs on its own family (ae-auto: bt-laplace, whose
  // feature map is chosen from the labels), as in the simulator.
  if (BORDA_STRATEGIES.includes(strategy)) {
    return arms * Math.max(1, labels) ** 2 <= GP_MAX_WORK ? 'borda-gp' : 'low-rank-borda';
  }
  return strategyModelKind(strategy);
}

/**
 * Readies the process for a stored model: a neural model, or one that scores in float32, needs the
 * tensor backend initialised first, so that how it computes does not depend on whether an earlier job
 * of this process happened to initialise it.
 */
export async function prepareToLoad(parameters: SerializedModel): Promise<void> {
  const scoring = (parameters as { scoring?: { path?: string } }).scoring;
  if (parameters.kind === 'neural-bt' || scoring?.path === 'tensor') await initTensorflow();
}

export interface CreatedModel {
  readonly model: PreferenceModel;
  readonly kind: ModelKind;
  readonly lengthscale: number;
  /** The TensorFlow.js backend of a neural model. */
  readonly tensorflowBackend?: string;
}

/**
 * A fresh (prior) model of `kind` for rows of the candidate features' width: the shared factory of
 * @borda/simulator (the simulator builds its models with it too), seeded by the campaign.
 */
export async function createModel(
  kind: ModelKind,
  campaign: LearningCampaign,
  features: FeatureMatrix,
  /** On top of the campaign's modelOptions, e.g. `frozenOptions` of a model this job already fitted. */
  overrides: Partial<ModelFactoryOptions> = {},
): Promise<CreatedModel> {
  const options = { ...modelOptionsOf(campaign), ...overrides };
  const created = await createPreferenceModel(kind, features, options, campaign.seed);
  return {
    kind: created.kind,
    lengthscale: created.lengthscale,
    model: created.model,
    ...(created.tensorflowBackend !== undefined ? { tensorflowBackend: created.tensorflowBackend } : {}),
  };
}
