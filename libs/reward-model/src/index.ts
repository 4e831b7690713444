export * from './model';
export * from './borda';
export * from './tf-backend';
export * from './linear-bt';
export * from './featuriser';
export * from './neural-bt';
export * from './kernels';
export * from './borda-gp';
export type {
  HyperparameterFitOptions,
  HyperparameterFitResult,
  Hyperparameters,
  HyperpriorOptions,
} from './gp-hyperparameters';
export { GpHallucinationSession } from './gp-hallucination';
export * from './random-fourier-features';
export * from './low-rank-borda';
export { LowRankHallucinationSession } from './low-rank-hallucination';
export * from './arm-scoring';
export * from './registry';
export * from './dpo-policy';
export * from './laplace-bt';
export { BT_FEATURE_MAP_KINDS, BtFeatures, medianHeuristic, standardisationOf } from './bt-feature-maps';
export type { BtFeatureMapKind, SerializedBtFeatures, Standardisation } from './bt-feature-maps';
export { blockDiagonal, laplaceFit, laplaceLogEvidence, learnHyperparameters } from './bt-evidence';
export type { EvidenceHyperprior, HyperparameterProblem, HyperparameterResult, LaplaceFit } from './bt-evidence';
export { DifferenceData } from './linear-bt-newton';
export * from './model-choice';
export * from './bt-auto';
export * from './preferential-gp';
export type { PreferentialSearchOptions, PreferentialHyperpriors } from './preferential-gp-evidence';
export * from './crowd';
export { fitBradleyTerryRatings } from './model-rating';
export type { BradleyTerryRatingOptions, BradleyTerryRatings, PairOutcomeCount } from './model-rating';
