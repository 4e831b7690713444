/**
 * What the console's forms offer, with one line each for humans: the selection strategies (from
 * @borda/dueling-bandit's catalogue), the simulator's built-in environments, the reward-model
 * families and the export formats. Built once: it only changes with a release.
 */
import { Injectable } from '@nestjs/common';
import { type CatalogResponse, EXPORT_FORMATS, MODEL_KIND_NAMES, type StrategyInfo } from '@borda/api-contract';
import {
  describeStrategy,
  STRATEGY_NAMES,
  strategyCompatibleModelKinds,
  strategyModelKind,
} from '@borda/dueling-bandit';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '@borda/simulator';

/**
 * The simulator names its environments but describes them only for developers (source comments,
 * grid domains), so the one-liners live here. A Record keyed by the name type: a new environment
 * does not compile until it is described.
 */
const ENVIRONMENT_DESCRIPTIONS: Record<EnvironmentName, string> = {
  branin: 'Branin–Hoo test function on a grid (prompt = first input, response = second): smooth, three optima.',
  ackley: 'Ackley test function on a grid: many local optima around one best response per prompt.',
  rosenbrock: 'Rosenbrock test function on a grid: a long curved valley of near-best responses.',
  hartmann: '3-D Hartmann function sliced through its global minimum, on a grid of prompts × responses.',
  linear: 'Random feature vectors with a reward linear in them: the well-specified case for linear Bradley–Terry.',
  'gp-sample':
    'One draw from a Gaussian-process prior over prompts × responses: the well-specified case for the Borda GP.',
  mixed: 'Mostly easy prompts with one clear best response, plus a few near-ties where choosing the prompt pays off.',
  embedding:
    'The example text prompts shipped with the simulator, featurised like a real campaign, with their given rewards.',
  'llm-small':
    'LLM-shaped: 2,000 prompts in 20 topics, 4–16 responses each, 64-d embeddings, a shared quality direction plus topic ones, near-ties, annotator-level noise.',
  'llm-large': 'LLM-shaped at scale: 10,000 prompts in 50 topics, 256-d embeddings, otherwise as llm-small.',
};

@Injectable()
export class CatalogService {
  private readonly catalog: CatalogResponse = {
    strategies: STRATEGY_NAMES.map((name): StrategyInfo => ({
      name,
      description: describeStrategy(name),
      defaultModel: strategyModelKind(name),
      compatibleModels: [...strategyCompatibleModelKinds(name)],
    })),
    environments: ENVIRONMENT_NAMES.map((name) => ({ name, description: ENVIRONMENT_DESCRIPTIONS[name] })),
    models: [...MODEL_KIND_NAMES],
    exportFormats: [...EXPORT_FORMATS],
  };

  get(): CatalogResponse {
    return this.catalog;
  }
}
