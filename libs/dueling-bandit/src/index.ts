export * from './types';
export * from './candidates';
export * from './bounds';
export * from './catalog';
export * from './policy';
export * from './certificate';
export { AeAutoStrategy, RIVAL_RULES, type AeAutoOptions, type RivalRule } from './strategies/ae-auto';
export {
  bestRival,
  differenceVarianceOf,
  plausibleRivals,
  varianceScore,
  type DifferenceVariance,
  type RivalScore,
} from './strategies/rival';
export { gapBatch, type GapBatch, type GapPoolOptions } from './strategies/gap-batch';
export { AeBordaStrategy, type AeBordaOptions } from './strategies/ae-borda';
export {
  hallucinatedGreedy,
  type GreedyOptions,
  type GreedyPick,
  type GreedyResult,
} from './strategies/ae-borda-greedy';
export { lazyHallucinatedGreedy, type LazyGreedyResult } from './strategies/ae-borda-lazy-greedy';
export { UniformStrategy, type UniformOptions } from './strategies/uniform';
export { UniformBordaStrategy, type UniformBordaOptions } from './strategies/uniform-borda';
export { ApoStrategy } from './strategies/apo';
export { apoHallucinatedGreedy, type ApoPick } from './strategies/apo-greedy';
export { MaxInPStrategy, survivingArms, type MaxInPOptions } from './strategies/maxinp';
export { DtsStrategy, type DtsOptions } from './strategies/dts';
export { BaldStrategy, binaryEntropy, pairMutualInformation, type BaldOptions } from './strategies/bald';
export { AeNeuralStrategy, type AeNeuralOptions } from './strategies/ae-neural';
