/**
 * The launch form's values as typed, checked with the API's own schema (createSimulationSchema) plus
 * the simulator's cross-field rule, with one plain message per field.
 */
import { type CreateSimulationRequest, createSimulationSchema } from '@borda/api-contract';

export interface LaunchFormValues {
  readonly environment: string;
  readonly strategies: readonly string[];
  readonly budget: string;
  readonly batchSize: string;
  readonly seeds: string;
  readonly beta: string;
  readonly epsilon: string;
  readonly checkpointEvery: string;
  readonly gridSize: string;
  readonly environmentSeed: string;
  readonly seedStart: string;
}

export type LaunchField = keyof LaunchFormValues;
export type LaunchErrors = Partial<Record<LaunchField, string>>;

export const INITIAL_VALUES: LaunchFormValues = {
  environment: '',
  strategies: [],
  budget: '200',
  batchSize: '10',
  seeds: '5',
  beta: '',
  epsilon: '',
  checkpointEvery: '',
  gridSize: '',
  environmentSeed: '1',
  seedStart: '1',
};

/** Fields inside the collapsed "Advanced" section (opened when one of them is wrong). */
export const ADVANCED_LAUNCH_FIELDS = [
  'epsilon',
  'checkpointEvery',
  'gridSize',
  'environmentSeed',
  'seedStart',
] as const satisfies readonly LaunchField[];

export const hasAdvancedError = (errors: LaunchErrors) => ADVANCED_LAUNCH_FIELDS.some((field) => errors[field]);

/** Field order, for focusing the first problem. */
export const LAUNCH_FIELDS: readonly LaunchField[] = [
  'environment',
  'strategies',
  'budget',
  'batchSize',
  'seeds',
  'beta',
  ...ADVANCED_LAUNCH_FIELDS,
];

const MESSAGES: Record<LaunchField, string> = {
  environment: 'Choose an environment.',
  strategies: 'Choose between 1 and 8 strategies.',
  budget: 'Budget must be a whole number from 1 to 2000.',
  batchSize: 'Batch size must be a whole number from 1 to 256.',
  seeds: 'Seeds must be a whole number from 1 to 20.',
  beta: 'β must be a number above 0 and at most 100 (or left empty).',
  epsilon: 'ε must be a number above 0 (or left empty).',
  checkpointEvery: 'Checkpoint every must be a whole number from 1 to 2000 (or left empty).',
  gridSize: 'Grid size must be a whole number from 2 to 60 (or left empty).',
  environmentSeed: 'Environment seed must be a whole number from 0 to 1000000.',
  seedStart: 'Seed start must be a whole number from 0 to 1000000.',
};

const isField = (name: string): name is LaunchField => Object.hasOwn(MESSAGES, name);

/** '' stays undefined so the schema reports a missing value rather than 0. */
const toNumber = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));

export type LaunchCheck =
  | { readonly ok: true; readonly request: CreateSimulationRequest }
  | { readonly ok: false; readonly errors: LaunchErrors };

export function checkLaunch(values: LaunchFormValues): LaunchCheck {
  const parsed = createSimulationSchema.safeParse({
    environment: values.environment,
    strategies: values.strategies,
    budget: toNumber(values.budget),
    batchSize: toNumber(values.batchSize),
    seeds: toNumber(values.seeds),
    beta: toNumber(values.beta),
    epsilon: toNumber(values.epsilon),
    checkpointEvery: toNumber(values.checkpointEvery),
    gridSize: toNumber(values.gridSize),
    environmentSeed: toNumber(values.environmentSeed),
    seedStart: toNumber(values.seedStart),
  });
  const errors: LaunchErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && isField(field)) errors[field] = MESSAGES[field];
    }
  } else if (parsed.data.batchSize > parsed.data.budget) {
    errors.batchSize = 'Batch size cannot be larger than the budget.';
  }
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, request: parsed.data };
  return { ok: false, errors };
}

/** Field errors from a 400 VALIDATION_FAILED answer ({issues: [{path: 'strategies.0', message}]}). */
export function serverFieldErrors(details: unknown): LaunchErrors {
  const issues = (details as { issues?: { path?: unknown; message?: unknown }[] } | undefined)?.issues;
  const errors: LaunchErrors = {};
  if (!Array.isArray(issues)) return errors;
  for (const issue of issues) {
    const field = String(issue.path ?? '').split('.')[0];
    if (isField(field)) errors[field] = String(issue.message ?? MESSAGES[field]);
  }
  return errors;
}
