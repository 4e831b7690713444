/**
 * A small worker_threads pool for simulation runs: each task is one (strategy, seed) run, executed
 * by `runSimulation` in a worker and posted back. Runs are deterministic in their own seed, and
 * results are returned in task order, so the output is the same for any number of workers.
 *
 * An environment's feature matrix is moved into shared memory once and every worker reads that one
 * copy: an LLM-sized environment (100k rows × 768 columns) is hundreds of MB, too much to clone per
 * worker. Runs only read it.
 *
 * Workers start from dist/pool/worker.js; when this file runs from TypeScript sources (tests,
 * `tsx`), they start through tsx's CommonJS hook with the `borda-source` export condition instead.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { NumericArray } from '@borda/numeric';
import type { SimulationResult } from '../simulate';
import type { Environment } from '../types';
import type { SimulationTask, WorkerReply, WorkerRequest } from './messages';

export interface PoolOptions {
  /** Worker threads (default: CPU count, at most one per task). */
  readonly workers?: number;
  /** Labels done so far by task `index` (called as workers report). */
  readonly onProgress?: (index: number, labelsDone: number) => void;
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

function spawnWorker(): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'worker.js'));
  const tsx = createRequire(__filename).resolve('tsx/cjs/api');
  const entry = join(__dirname, 'worker.ts');
  const boot = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`;
  return new Worker(boot, { eval: true, execArgv: ['--conditions=borda-source'] });
}

function shared<A extends NumericArray>(values: A): A {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  const Type = values.constructor as new (buffer: SharedArrayBuffer) => A;
  const copy = new Type(new SharedArrayBuffer(values.byteLength));
  copy.set(values);
  return copy;
}

/** The environment with its features and rewards in shared memory (posted to workers without copying). */
export function shareEnvironment(env: Environment): Environment {
  return { ...env, features: { ...env.features, data: shared(env.features.data) }, reward: shared(env.reward) };
}

export function runSimulationTasks(
  environments: Readonly<Record<string, Environment>>,
  tasks: readonly SimulationTask[],
  options: PoolOptions = {},
): Promise<SimulationResult[]> {
  const results: SimulationResult[] = new Array(tasks.length);
  if (tasks.length === 0) return Promise.resolve(results);
  for (const t of tasks) {
    if (!environments[t.environment]) {
      return Promise.reject(new RangeError(`task refers to unknown environment '${t.environment}'`));
    }
  }
  const sharedEnvironments = new Map<string, Environment>();
  const environmentFor = (key: string) => {
    let env = sharedEnvironments.get(key);
    if (!env) sharedEnvironments.set(key, (env = shareEnvironment(environments[key])));
    return env;
  };
  const count = Math.max(1, Math.min(options.workers ?? defaultWorkerCount(), tasks.length));
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let finished = 0;
    let failed = false;
    const stop = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error);
    };
    const describe = (i: number) =>
      `${tasks[i].run.strategy} (seed ${tasks[i].run.seed ?? 1}) on ${tasks[i].environment}`;
    for (let k = 0; k < count; k++) {
      const worker = spawnWorker();
      const sent = new Set<string>();
      workers.push(worker);
      const dispatch = () => {
        if (failed || next >= tasks.length) return;
        const index = next++;
        const task = tasks[index];
        if (!sent.has(task.environment)) {
          sent.add(task.environment);
          worker.postMessage({
            type: 'environment',
            key: task.environment,
            environment: environmentFor(task.environment),
          } satisfies WorkerRequest);
        }
        worker.postMessage({
          type: 'run',
          index,
          environment: task.environment,
          run: task.run,
        } satisfies WorkerRequest);
      };
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'progress') options.onProgress?.(reply.index, reply.labels);
        else if (reply.type === 'error') stop(new Error(`${describe(reply.index)} failed: ${reply.message}`));
        else {
          results[reply.index] = reply.result;
          finished++;
          if (finished === tasks.length) {
            for (const w of workers) void w.terminate();
            resolve(results);
          } else dispatch();
        }
      });
      worker.on('error', (e) => stop(e instanceof Error ? e : new Error(String(e))));
      worker.on('exit', (code) => {
        if (code !== 0 && finished < tasks.length) stop(new Error(`a simulation worker exited with code ${code}`));
      });
      dispatch();
    }
  });
}
