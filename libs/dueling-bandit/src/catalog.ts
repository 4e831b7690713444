/**
 * The strategies by name: what the simulator, the CLI and the labeler app list and construct.
 */
import type { ModelKind } from '@borda/reward-model';
import { AeAutoStrategy, type AeAutoOptions } from './strategies/ae-auto';
import { AeBordaStrategy, type AeBordaOptions } from './strategies/ae-borda';
import { AeNeuralStrategy, type AeNeuralOptions } from './strategies/ae-neural';
import { ApoStrategy } from './strategies/apo';
import { BaldStrategy, type BaldOptions } from './strategies/bald';
import { ALL_MODEL_KINDS, BORDA_MODEL_KINDS, BT_MODEL_KINDS, POSTERIOR_MODEL_KINDS } from './strategies/common';
import { DtsStrategy, type DtsOptions } from './strategies/dts';
import { MaxInPStrategy, type MaxInPOptions } from './strategies/maxinp';
import { UniformStrategy, type UniformOptions } from './strategies/uniform';
import { UniformBordaStrategy, type UniformBordaOptions } from './strategies/uniform-borda';
import type { SelectionStrategy, StrategyName, StrategyOptions } from './types';

/** The strategy a campaign or simulation gets when it names none. */
export const DEFAULT_STRATEGY: StrategyName = 'ae-auto';

/** Every strategy, the default first. */
export const STRATEGY_NAMES: readonly StrategyName[] = [
  'ae-auto',
  'ae-borda',
  'uniform',
  'uniform-borda',
  'apo',
  'maxinp',
  'dts',
  'bald',
  'ae-neural',
];

/**
 * Every option any strategy reads; each strategy ignores the fields it does not use, so one
 * options object can configure a whole comparison.
 */
export type AnyStrategyOptions = StrategyOptions &
  AeAutoOptions &
  AeBordaOptions &
  UniformOptions &
  UniformBordaOptions &
  MaxInPOptions &
  DtsOptions &
  BaldOptions &
  AeNeuralOptions;

interface CatalogEntry {
  readonly modelKind: ModelKind;
  readonly compatibleModelKinds: readonly ModelKind[];
  readonly description: string;
  readonly create: (options: AnyStrategyOptions) => SelectionStrategy;
}

const CATALOG: Record<StrategyName, CatalogEntry> = {
  'ae-auto': {
    modelKind: 'bt-laplace',
    compatibleModelKinds: POSTERIOR_MODEL_KINDS,
    description:
      'AE-Auto (default): asks on the prompt whose optimistic and pessimistic best answers disagree most, its most promising response against the plausible rival the model knows least about; works with any posterior model.',
    create: (o) => new AeAutoStrategy(o),
  },
  'ae-borda': {
    modelKind: 'borda-gp',
    compatibleModelKinds: BORDA_MODEL_KINDS,
    description:
      'AE-Borda: asks on the prompt whose optimistic and pessimistic best answers disagree most, its most promising response against a random other one.',
    create: (o) => new AeBordaStrategy(o),
  },
  uniform: {
    modelKind: 'borda-gp',
    compatibleModelKinds: ALL_MODEL_KINDS,
    description: 'Uniform: a random prompt and a random pair of its responses (the passive baseline).',
    create: (o) => new UniformStrategy(o),
  },
  'uniform-borda': {
    modelKind: 'borda-gp',
    compatibleModelKinds: BORDA_MODEL_KINDS,
    description:
      'Uniform-Borda: a random prompt, its most promising response (highest upper bound) against a random other one.',
    create: (o) => new UniformBordaStrategy(o),
  },
  apo: {
    modelKind: 'linear-bt',
    compatibleModelKinds: ['linear-bt'],
    description: 'APO: the prompt and pair whose feature difference the linear reward model has explored least.',
    create: () => new ApoStrategy(),
  },
  maxinp: {
    modelKind: 'linear-bt',
    compatibleModelKinds: ['linear-bt'],
    description:
      'MaxInP: a random prompt, the most uncertain pair among responses not yet confidently beaten (linear reward model).',
    create: (o) => new MaxInPStrategy(o),
  },
  dts: {
    modelKind: 'linear-bt',
    compatibleModelKinds: ALL_MODEL_KINDS,
    description:
      'Double Thompson sampling: a random prompt, two responses each the best of its own posterior draw among plausible winners.',
    create: (o) => new DtsStrategy(o),
  },
  bald: {
    modelKind: 'linear-bt',
    compatibleModelKinds: ALL_MODEL_KINDS,
    description:
      'BALD: the pair whose label the model is most uncertain about because its posterior draws disagree (max mutual information).',
    create: (o) => new BaldStrategy(o),
  },
  'ae-neural': {
    modelKind: 'neural-bt',
    compatibleModelKinds: BT_MODEL_KINDS,
    description:
      "AE-Borda's neural variant: the most uncertain prompts of a random pool under a reward network's ensemble/dropout uncertainty.",
    create: (o) => new AeNeuralStrategy(o),
  },
};

function entry(name: StrategyName): CatalogEntry {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(CATALOG, name)) {
    throw new RangeError(`unknown strategy '${String(name)}'; valid names: ${STRATEGY_NAMES.join(', ')}`);
  }
  return CATALOG[name];
}

export function isStrategyName(name: string): name is StrategyName {
  return Object.prototype.hasOwnProperty.call(CATALOG, name);
}

/** A strategy by name; unknown names throw an error listing the valid ones. */
export function createStrategy(name: StrategyName, options: AnyStrategyOptions = {}): SelectionStrategy {
  return entry(name).create(options);
}

/** The model family a strategy runs on by default (algorithms.md §4); `modelKind` options may change it. */
export function strategyModelKind(name: StrategyName): ModelKind {
  return entry(name).modelKind;
}

/** Every model kind a strategy accepts; select() throws on any other. */
export function strategyCompatibleModelKinds(name: StrategyName): readonly ModelKind[] {
  return entry(name).compatibleModelKinds;
}

/** One line for humans (the labeler app shows it next to the strategy). */
export function describeStrategy(name: StrategyName): string {
  return entry(name).description;
}
