/** The strategy catalogue and the output rule the simulator uses, from @borda/dueling-bandit. */
import type { PreferenceModel } from '@borda/reward-model';
import { type AnyStrategyOptions, type CandidateSet, greedyPolicy, policyResponses } from '@borda/dueling-bandit';

export { STRATEGY_NAMES, createStrategy, strategyModelKind } from '@borda/dueling-bandit';
export type SimulationStrategyOptions = AnyStrategyOptions;

/** π̂(x) = argmax_a μ(x, a) (the platform's greedyPolicy) as a response index per prompt. */
export function outputPolicy(model: PreferenceModel, candidates: CandidateSet): Int32Array {
  return policyResponses(greedyPolicy(model, candidates));
}
