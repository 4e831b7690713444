import { describe, expect, it } from 'vitest';
import {
  type SimulationTask,
  buildSimulationTasks,
  llmEnvironment,
  mixedEnvironment,
  runSimulation,
  runSimulationTasks,
  shareEnvironment,
} from '@borda/simulator';

const env = mixedEnvironment({ prompts: 8, responses: 5, nearTies: 2, seed: 3 });
const strip = <T extends { wallTimeMs: number }>({ wallTimeMs: _w, ...rest }: T) => rest;

describe('runSimulationTasks', () => {
  it('returns results in task order, equal to in-process runs, with progress per task', async () => {
    const tasks: SimulationTask[] = [
      { environment: 'a', run: { strategy: 'ae-borda', seed: 2, budget: 20, batchSize: 4 } },
      { environment: 'a', run: { strategy: 'uniform', seed: 1, budget: 12, batchSize: 4 } },
      { environment: 'a', run: { strategy: 'maxinp', seed: 5, budget: 16, batchSize: 8 } },
    ];
    const seen = new Map<number, number[]>();
    const results = await runSimulationTasks({ a: env }, tasks, {
      workers: 2,
      onProgress: (i, labels) => seen.set(i, [...(seen.get(i) ?? []), labels]),
    });
    expect(results.map((r) => [r.strategy, r.seed])).toEqual([
      ['ae-borda', 2],
      ['uniform', 1],
      ['maxinp', 5],
    ]);
    for (let i = 0; i < tasks.length; i++) {
      const local = await runSimulation({ ...tasks[i].run, environment: env });
      expect(strip(results[i])).toEqual(strip(local));
    }
    expect(seen.get(0)).toEqual([4, 8, 12, 16, 20]);
    expect(seen.get(2)).toEqual([8, 16]);
  });

  it('rejects with the failing run named', async () => {
    const tasks: SimulationTask[] = [{ environment: 'a', run: { strategy: 'nope', seed: 7, budget: 4 } }];
    await expect(runSimulationTasks({ a: env }, tasks, { workers: 1 })).rejects.toThrow(
      /nope \(seed 7\) on a failed: unknown strategy 'nope'/,
    );
    await expect(runSimulationTasks({}, tasks)).rejects.toThrow(/unknown environment 'a'/);
  });
});

describe('pool on an LLM-shaped environment', () => {
  const llm = llmEnvironment({ prompts: 120, topics: 4, dimension: 16, seed: 2 });
  const tasks = buildSimulationTasks(
    { strategies: ['ae-borda', 'apo'], seeds: 2, seedStart: 1, budget: 16, batchSize: 8 },
    'llm',
  );

  it('gives the same results for any number of workers', async () => {
    const one = await runSimulationTasks({ llm }, tasks, { workers: 1 });
    const two = await runSimulationTasks({ llm }, tasks, { workers: 2 });
    expect(two.map(strip)).toEqual(one.map(strip));
    expect(one.map((r) => [r.strategy, r.seed, r.model.kind])).toEqual([
      ['ae-borda', 1, 'borda-gp'],
      ['ae-borda', 2, 'borda-gp'],
      ['apo', 1, 'linear-bt'],
      ['apo', 2, 'linear-bt'],
    ]);
  });

  it('shares the feature matrix with the workers instead of copying it', () => {
    const shared = shareEnvironment(llm);
    expect(shared.features.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.features.data).toBeInstanceOf(Float32Array);
    expect(Array.from(shared.features.data)).toEqual(Array.from(llm.features.data));
    expect(shared.reward.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shareEnvironment(shared).features.data).toBe(shared.features.data);
  });
});

describe('buildSimulationTasks', () => {
  it('lists strategy-major, seed-minor runs with the plan’s options', () => {
    const tasks = buildSimulationTasks(
      { strategies: ['uniform', 'apo'], seeds: 2, seedStart: 5, budget: 30, batchSize: 10, beta: 1.5, lowRank: true },
      'e',
    );
    expect(tasks.map((t) => [t.run.strategy, t.run.seed])).toEqual([
      ['uniform', 5],
      ['uniform', 6],
      ['apo', 5],
      ['apo', 6],
    ]);
    expect(tasks[0]).toEqual({
      environment: 'e',
      run: {
        strategy: 'uniform',
        seed: 5,
        budget: 30,
        batchSize: 10,
        strategyOptions: { beta: 1.5 },
        model: { lowRank: true },
      },
    });
    const plain = buildSimulationTasks({ strategies: ['uniform'], seeds: 1, seedStart: 1, budget: 4, batchSize: 2 });
    expect(plain[0].run).toEqual({ strategy: 'uniform', seed: 1, budget: 4, batchSize: 2 });
  });
});
