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
  /** Optional response texts, one per arm (same order as the feature rows). */
  readonly responseLabels?: readonly string[];
  /**
   * Suggested RBF kernel lengthscale in feature units for kernel models (exact GP, random Fourier
   * features). The simulator falls back to a median-distance heuristic when absent.
   */
  readonly lengthscale?: number;
  /** One-line description of how the environment was built (shown in reports). */
  readonly description?: string;
}

/** Options every built-in environment factory accepts. */
export interface EnvironmentOptions {
  /** Seed of the environment's own randomness (θ*, GP draw, near-tie placement…; default 1). */
  readonly seed?: number;
  /** Points per axis for the grid environments, 2–200 (default 20: 20 contexts × 20 actions). */
  readonly gridSize?: number;
}
