/**
 * A synthetic (or user-supplied) preference problem with a known reward, used to measure how fast
 * a strategy's output policy approaches the best response of every prompt.
 */
import type { FeatureMatrix } from '@borda/numeric';

export interface Environment {
  readonly name: string;
  /** Prompt p owns feature rows offsets[p] .. offsets[p + 1] − 1 (same layout as a CandidateSet). */
  readonly offsets: Int32Array;
  /** Joint (prompt, response) features, one row per arm. */
  readonly features: FeatureMatrix;
  /** True reward r(x, a) per arm (same order as the feature rows). */
  readonly reward: Float64Array;
  /** Optional human-readable labels (prompt text, response text) for reports. */
  readonly promptLabels?: readonly string[];
}
