export { Z95, betaCdf, betaQuantile, logGamma, wilsonInterval } from './beta-distribution';
export type { BinomialInterval } from './beta-distribution';
export type { CrowdComparison, CrowdJudgment, JudgmentChoice, ResponseSide } from './crowd-data';
export {
  accuracyExcludingPosition,
  behaviourShares,
  confusionIntervals,
  confusionMode,
  positionBias,
} from './labeler-confusion';
export type {
  BehaviourShares,
  Confusion,
  ConfusionCounts,
  ConfusionSummary,
  Estimate,
  LabelerPrior,
} from './labeler-confusion';
export { bradleyTerryLearner } from './reward-learner';
export type { CrowdPair, CrowdRewardLearner } from './reward-learner';
export { CrowdReliability } from './crowd-reliability';
export type { CrowdFit, CrowdFitInput, CrowdReliabilityOptions, SerializedCrowdReliability } from './crowd-reliability';
export type { ComparisonConsensus, JudgmentWeight, LabelerReliability } from './crowd-reports';
export { DEFAULT_FLAG_THRESHOLDS, flagLabeler, flagLabelers, smallestMagnitude } from './flagging';
export type { FlagEvidence, FlagReason, FlagReasonKind, FlagThresholds, LabelerFlag } from './flagging';
export { crowdMetrics, predictionMetrics } from './metrics';
export type { CrowdMetrics, PredictionMetrics, PredictionMetricsOptions } from './metrics';
export { btAgreement, scaleForAgreement, simulateCrowd } from './simulated-crowd';
export type { SimulatedBehaviour, SimulatedCrowd, SimulatedCrowdOptions } from './simulated-crowd';
