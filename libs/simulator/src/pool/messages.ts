/** What the pool (pool.ts) and its worker threads (worker.ts) send each other. */
import type { Environment } from '../types';
import type { SimulationOptions, SimulationResult } from '../simulate';

/** A run without its environment (sent once per worker) or callback. */
export type RunOptions = Omit<SimulationOptions, 'environment' | 'onProgress'>;

export interface SimulationTask {
  /** Key of the environment in the `environments` map. */
  readonly environment: string;
  readonly run: RunOptions;
}

export type WorkerRequest =
  | { readonly type: 'environment'; readonly key: string; readonly environment: Environment }
  | { readonly type: 'run'; readonly index: number; readonly environment: string; readonly run: RunOptions };

export type WorkerReply =
  | { readonly type: 'progress'; readonly index: number; readonly labels: number }
  | { readonly type: 'result'; readonly index: number; readonly result: SimulationResult }
  | { readonly type: 'error'; readonly index: number; readonly message: string };
