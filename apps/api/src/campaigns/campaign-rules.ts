/**
 * Checks that need more than the request schema: the strategy catalogue of @borda/dueling-bandit
 * and cross-field rules over the merged (stored + patched) configuration.
 */
import { isStrategyName, STRATEGY_NAMES, strategyCompatibleModelKinds } from '@borda/dueling-bandit';
import { AppError } from '../errors/app-error';

export interface StrategyChoice {
  readonly strategy: string;
  readonly model: string;
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${path}: ${message}`, { issues: [{ path, message }] });
}

export function checkStrategy({ strategy, model }: StrategyChoice): void {
  if (!isStrategyName(strategy)) {
    throw invalid('strategy', `unknown strategy '${strategy}'; valid names: ${STRATEGY_NAMES.join(', ')}`);
  }
  if (model === 'auto') return;
  const kinds = strategyCompatibleModelKinds(strategy) as readonly string[];
  if (!kinds.includes(model)) {
    throw invalid('model', `strategy '${strategy}' cannot run on model '${model}'; it accepts: ${kinds.join(', ')}`);
  }
}

export function checkBuffer(batchSize: number, bufferSize: number): void {
  if (bufferSize < batchSize) {
    throw invalid('bufferSize', `bufferSize (${bufferSize}) must be at least batchSize (${batchSize})`);
  }
}

export function checkBudget(budget: number, labelCount: number): void {
  if (budget < labelCount) {
    throw invalid('budget', `budget (${budget}) cannot be below the ${labelCount} judgments already stored`);
  }
}

/** labelerIds must all name active labeler accounts; the message lists the ones that do not. */
export function checkLabelers(field: string, requested: readonly string[], found: Set<string>): void {
  const missing = requested.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AppError('VALIDATION_FAILED', `${field}: not active labeler accounts: ${missing.join(', ')}`, {
      issues: [{ path: field, message: `not active labeler accounts: ${missing.join(', ')}` }],
      unknownIds: missing,
    });
  }
}
