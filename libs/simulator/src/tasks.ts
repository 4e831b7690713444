/**
 * The (strategy, seed) runs of a simulation request, as pool tasks: one list for every front end
 * (`borda simulate`, the campaign service's SimulationRun job), so both run the same thing.
 */
import type { SimulationModelOptions } from './models';
import type { SimulationTask } from './pool/messages';

export interface SimulationPlan {
  readonly strategies: readonly string[];
  /** Seeds per strategy: runs use seedStart, seedStart + 1, … */
  readonly seeds: number;
  readonly seedStart: number;
  readonly budget: number;
  readonly batchSize: number;
  /** Labels between checkpoints (default: runSimulation's, max(batchSize, 10)). */
  readonly checkpointEvery?: number;
  /** Confidence width β (default: each strategy's own). */
  readonly beta?: number;
  readonly model?: SimulationModelOptions;
  /** Shorthand for `model.lowRank` (the CLI flag). */
  readonly lowRank?: boolean;
}

/** Tasks in strategy-major, then seed order (the order results come back in). */
export function buildSimulationTasks(plan: SimulationPlan, environmentKey = 'env'): SimulationTask[] {
  const model: SimulationModelOptions = { ...plan.model, ...(plan.lowRank ? { lowRank: true } : {}) };
  const tasks: SimulationTask[] = [];
  for (const strategy of plan.strategies) {
    for (let s = 0; s < plan.seeds; s++) {
      tasks.push({
        environment: environmentKey,
        run: {
          strategy,
          seed: plan.seedStart + s,
          budget: plan.budget,
          batchSize: plan.batchSize,
          ...(plan.checkpointEvery !== undefined ? { checkpointEvery: plan.checkpointEvery } : {}),
          ...(plan.beta !== undefined ? { strategyOptions: { beta: plan.beta } } : {}),
          ...(Object.keys(model).length > 0 ? { model } : {}),
        },
      });
    }
  }
  return tasks;
}
