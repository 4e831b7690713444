/**
 * POST /simulations runs the regret simulator (libs/simulator) in the worker. Names are checked by
 * the API against the simulator's registries (built-in environments only: no file paths).
 */
import { z } from 'zod';

export const createSimulationSchema = z.object({
  /** A built-in environment name (branin, ackley, rosenbrock, hartmann, linear, gp-sample, mixed, embedding, llm-small, llm-large). */
  environment: z.string().trim().min(1).max(100),
  /** Strategy names (ae-borda, uniform, …), 1 to 8, no duplicates. */
  strategies: z.array(z.string().trim().min(1).max(100)).min(1).max(8),
  /** Labels per run. */
  budget: z.int().min(1).max(2000),
  batchSize: z.int().min(1).max(256).default(10),
  /** Seeds per strategy: runs use seedStart, seedStart + 1, … */
  seeds: z.int().min(1).max(20).default(5),
  seedStart: z.int().min(0).max(1_000_000).default(1),
  /** Labels between checkpoints of the regret curve (default max(batchSize, 10)). */
  checkpointEvery: z.int().min(1).max(2000).optional(),
  beta: z.number().positive().max(100).optional(),
  /** ε of labels-to-ε (default 5% of the reward range). */
  epsilon: z.number().positive().optional(),
  /** Points per axis for the grid environments. */
  gridSize: z.int().min(2).max(60).optional(),
  environmentSeed: z.int().min(0).max(1_000_000).default(1),
  model: z
    .object({
      lengthscale: z.number().positive().optional(),
      randomFeatures: z.int().min(1).max(1024).optional(),
      regularization: z.number().positive().optional(),
      lowRank: z.boolean().optional(),
    })
    .strict()
    .optional(),
});
export type CreateSimulationRequest = z.infer<typeof createSimulationSchema>;

/** GET /simulations?limit&cursor: newest first (Page<SimulationView>, results left out). */
export const simulationListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `nextCursor` of the previous page (a simulation id). */
  cursor: z.uuid().optional(),
});
export type SimulationListQuery = z.infer<typeof simulationListQuerySchema>;

export const SIMULATION_STATES = ['queued', 'running', 'completed', 'failed'] as const;
export type SimulationStateName = (typeof SIMULATION_STATES)[number];

export interface SimulationInterval {
  readonly mean: number;
  readonly halfWidth: number;
}

/** Per strategy: the simulator's summary (mean ± 95% CI regret curves over seeds, final SubOpt). */
/** The model a run used: its family, starting lengthscale, features, and what it learned and chose. */
export interface SimulationModelChoice {
  readonly kind: string;
  readonly lengthscale: number;
  readonly randomFeatures?: number;
  /** The model's learned hyperparameters (bt-laplace: the feature map chosen and every candidate's score). */
  readonly hyperparameters?: unknown;
}

export interface SimulationStrategyResult {
  readonly strategy: string;
  readonly modelKind: string;
  readonly seeds: number[];
  /** The model of each seed's run, in `seeds` order. */
  readonly models?: readonly SimulationModelChoice[];
  readonly aggregate: {
    readonly labels: number[];
    readonly subOptMax: { readonly mean: number[]; readonly halfWidth: number[] };
    readonly subOptMean: { readonly mean: number[]; readonly halfWidth: number[] };
    readonly seeds: number;
  };
  readonly area: SimulationInterval;
  readonly final: { readonly subOptMax: SimulationInterval; readonly subOptMean: SimulationInterval };
  readonly labelsToEpsilon: {
    readonly perSeed: (number | null)[];
    readonly meanCurve: number | null;
    readonly reached: number;
  };
  readonly labelEfficiencyRatio?: number | null;
  readonly wallTimeMs: { readonly mean: number; readonly total: number };
}

export interface SimulationResultView {
  readonly environment: {
    readonly name: string;
    readonly prompts: number;
    readonly responses: number;
    readonly featureDimension: number;
    readonly rewardRange: number;
  };
  readonly epsilon: number;
  readonly strategies: readonly SimulationStrategyResult[];
  /** Every (strategy, seed) run's final suboptimality and wall time. */
  readonly runs: readonly {
    readonly strategy: string;
    readonly seed: number;
    readonly finalSubOptMax: number;
    readonly finalSubOptMean: number;
    readonly wallTimeMs: number;
    readonly model?: SimulationModelChoice;
  }[];
  readonly wallTimeMs: number;
}

export interface SimulationView {
  readonly id: string;
  readonly ownerId: string;
  readonly state: SimulationStateName;
  /** Runs done over runs total, including the progress inside the current run. */
  readonly progress: number;
  readonly config: CreateSimulationRequest;
  readonly error: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  /** Only in GET /simulations/:id, once completed. */
  readonly result?: SimulationResultView | null;
}
