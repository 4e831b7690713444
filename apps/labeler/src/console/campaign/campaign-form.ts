/**
 * The campaign settings form's values (text, as typed), their conversion into a create request,
 * and validation by the API's own schema, with every problem tied to the field it belongs to: the
 * client and the server never disagree about what is valid, and messages read like sentences.
 */
import {
  createCampaignSchema,
  type CreateCampaignRequest,
  FEATURE_SOURCES,
  type JudgmentMode,
  type StrategyInfo,
  type strategyOptionsSchema,
} from '@borda/api-contract';
import type { z } from 'zod';
import { ApiError } from '../../api/client';

export interface CampaignFormValues {
  readonly name: string;
  readonly description: string;
  readonly guidelines: string;
  readonly strategy: string;
  readonly model: string;
  readonly budget: string;
  readonly redundancy: string;
  readonly retrainEvery: string;
  readonly batchSize: string;
  readonly bufferSize: string;
  readonly leaseSeconds: string;
  readonly yardstickShare: string;
  readonly seed: string;
  readonly featureSource: (typeof FEATURE_SOURCES)[number];
  readonly featureDim: string;
  /** Pairs (A/B) or ranking tasks of rankSize responses (the ranking screen). */
  readonly judgmentMode: JudgmentMode;
  readonly rankSize: string;
  readonly labelerIds: readonly string[];
  // strategyOptions, flattened so each has its own field; '' leaves the strategy's default.
  readonly beta: string;
  readonly posteriorSamples: string;
  readonly poolFactor: string;
  readonly initialPoolPrompts: string;
  readonly maxPoolPrompts: string;
}

export type FieldName = keyof CampaignFormValues;
type StrategyOptions = z.input<typeof strategyOptionsSchema>;
export type FieldErrors = Partial<Record<FieldName, string>>;

/** The API's defaults, shown in the form so nobody has to guess them. */
export const DEFAULT_VALUES: CampaignFormValues = {
  name: '',
  description: '',
  guidelines: '',
  strategy: '',
  model: 'auto',
  budget: '1000',
  redundancy: '1',
  retrainEvery: '50',
  batchSize: '16',
  bufferSize: '32',
  leaseSeconds: '300',
  yardstickShare: '0.1',
  seed: '1',
  featureSource: 'text',
  featureDim: '32',
  judgmentMode: 'pairwise',
  rankSize: '4',
  labelerIds: [],
  beta: '',
  posteriorSamples: '',
  poolFactor: '',
  initialPoolPrompts: '',
  maxPoolPrompts: '',
};

/** The keys of strategyOptions, each a field of its own (empty = the strategy's default). */
export const STRATEGY_OPTION_FIELDS = [
  'beta',
  'posteriorSamples',
  'poolFactor',
  'initialPoolPrompts',
  'maxPoolPrompts',
] as const satisfies readonly (keyof StrategyOptions & FieldName)[];
type StrategyOptionField = (typeof STRATEGY_OPTION_FIELDS)[number];
const isStrategyOption = (name: string): name is StrategyOptionField =>
  (STRATEGY_OPTION_FIELDS as readonly string[]).includes(name);

export const FIELD_LABELS: Record<FieldName, string> = {
  name: 'Name',
  description: 'Description',
  guidelines: 'Guidelines',
  strategy: 'Strategy',
  model: 'Reward model',
  budget: 'Budget',
  redundancy: 'Redundancy',
  retrainEvery: 'Retrain every',
  batchSize: 'Batch size',
  bufferSize: 'Buffer size',
  leaseSeconds: 'Lease (seconds)',
  yardstickShare: 'Yardstick share',
  seed: 'Seed',
  featureSource: 'Features',
  featureDim: 'Feature dimension',
  judgmentMode: 'Judgment',
  rankSize: 'Responses per ranking',
  labelerIds: 'Labelers',
  beta: 'β (confidence width)',
  posteriorSamples: 'Posterior samples',
  poolFactor: 'Pool factor',
  initialPoolPrompts: 'Initial pool (prompts)',
  maxPoolPrompts: 'Maximum pool (prompts)',
};

/** Fields inside the collapsed "Advanced" section (opened when one of them is wrong). */
export const ADVANCED_FIELDS: readonly FieldName[] = [
  'batchSize',
  'bufferSize',
  'leaseSeconds',
  'yardstickShare',
  'seed',
  'featureSource',
  'featureDim',
  'judgmentMode',
  'rankSize',
  ...STRATEGY_OPTION_FIELDS,
];

const NUMERIC_FIELDS = new Set<FieldName>([
  'budget',
  'redundancy',
  'retrainEvery',
  'batchSize',
  'bufferSize',
  'leaseSeconds',
  'yardstickShare',
  'seed',
  'featureDim',
  'rankSize',
  ...STRATEGY_OPTION_FIELDS,
]);
/** The numeric fields that take fractions. */
const DECIMAL_FIELDS = new Set<FieldName>(['beta', 'yardstickShare']);

const toInteger = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

/** Only the options actually set; none set leaves strategyOptions out (the API defaults it to {}). */
function toStrategyOptions(values: CampaignFormValues): StrategyOptions | undefined {
  const entries = STRATEGY_OPTION_FIELDS.flatMap((name) => {
    const value = toInteger(values[name]);
    return value === undefined ? [] : [[name, value] as const];
  });
  return entries.length > 0 ? (Object.fromEntries(entries) as StrategyOptions) : undefined;
}

export function toCreateRequest(values: CampaignFormValues): CreateCampaignRequest {
  const strategyOptions = toStrategyOptions(values);
  return {
    name: values.name.trim(),
    description: values.description,
    guidelines: values.guidelines,
    strategy: values.strategy,
    model: values.model as CreateCampaignRequest['model'],
    ...(strategyOptions && { strategyOptions }),
    budget: toInteger(values.budget) as number,
    redundancy: toInteger(values.redundancy),
    retrainEvery: toInteger(values.retrainEvery),
    batchSize: toInteger(values.batchSize),
    bufferSize: toInteger(values.bufferSize),
    leaseSeconds: toInteger(values.leaseSeconds),
    yardstickShare: toInteger(values.yardstickShare),
    seed: toInteger(values.seed),
    featureSource: values.featureSource,
    featureDim: toInteger(values.featureDim),
    // Pairwise is the API's default: only a ranking campaign sends the two fields.
    ...(values.judgmentMode === 'ranking' && { judgmentMode: 'ranking', rankSize: toInteger(values.rankSize) }),
    labelerIds: [...values.labelerIds],
  };
}

/** 'budget' → budget; 'strategyOptions.beta' → beta (each option has a field of its own). */
function asField(path: string): FieldName | undefined {
  const [head, option] = path.split('.');
  if (head === 'strategyOptions') return option !== undefined && isStrategyOption(option) ? option : undefined;
  return head in FIELD_LABELS ? (head as FieldName) : undefined;
}

/** zod's generic wording, rewritten for a person filling in a form. */
function humanMessage(field: FieldName | undefined, issue: z.core.$ZodIssue): string {
  if (field && NUMERIC_FIELDS.has(field)) {
    if (issue.code === 'invalid_type') {
      if (issue.input === undefined) return 'Required.';
      return DECIMAL_FIELDS.has(field) ? 'Enter a number.' : 'Enter a whole number.';
    }
    if (issue.code === 'too_small' && issue.message.startsWith('Too small'))
      return `Must be at least ${issue.minimum}.`;
    if (issue.code === 'too_big' && issue.message.startsWith('Too big')) return `Must be at most ${issue.maximum}.`;
  }
  if (field === 'name' && issue.code === 'too_small') return 'Give the campaign a name.';
  if (field === 'strategy' && issue.code === 'too_small') return 'Choose a strategy.';
  return issue.message;
}

export interface ValidationOutcome {
  readonly request?: CreateCampaignRequest;
  readonly fieldErrors: FieldErrors;
  /** Problems that belong to no field of the form. */
  readonly otherErrors: readonly string[];
}

export function validateCampaignForm(
  values: CampaignFormValues,
  strategy: StrategyInfo | undefined,
): ValidationOutcome {
  const request = toCreateRequest(values);
  const fieldErrors: FieldErrors = {};
  const otherErrors: string[] = [];
  const parsed = createCampaignSchema.safeParse(request, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = asField(issue.path.map(String).join('.'));
      const message = humanMessage(field, issue);
      if (field) fieldErrors[field] ??= message;
      else otherErrors.push(message);
    }
  }
  // The server checks this too; saying it here saves a round trip.
  if (strategy && values.model !== 'auto' && !strategy.compatibleModels.includes(values.model)) {
    fieldErrors.model ??= `The ${strategy.name} strategy cannot run on ${values.model}; it accepts ${strategy.compatibleModels.join(', ')}.`;
  }
  const valid = parsed.success && Object.keys(fieldErrors).length === 0;
  return { request: valid ? request : undefined, fieldErrors, otherErrors };
}

/** A VALIDATION_FAILED answer's issues, placed next to the fields they name. */
export function serverFieldErrors(error: unknown): { fieldErrors: FieldErrors; otherErrors: string[] } | null {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return null;
  const details = error.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined;
  const fieldErrors: FieldErrors = {};
  const otherErrors: string[] = [];
  for (const issue of details?.issues ?? []) {
    const message = String(issue.message ?? '');
    const field = typeof issue.path === 'string' ? asField(issue.path) : undefined;
    if (field) fieldErrors[field] ??= message;
    else otherErrors.push(typeof issue.path === 'string' ? `${issue.path}: ${message}` : message);
  }
  if (Object.keys(fieldErrors).length === 0 && otherErrors.length === 0) otherErrors.push(error.message);
  return { fieldErrors, otherErrors };
}
