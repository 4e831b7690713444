import { describe, expect, it } from 'vitest';
import { mixedEnvironment, runSimulation } from '@borda/simulator';
import { runSimulationTasks, type SimulationTask } from '../src/pool';

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
