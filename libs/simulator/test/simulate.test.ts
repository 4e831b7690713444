import { describe, expect, it } from 'vitest';
import { Rng, sigmoid } from '@borda/numeric';
import {
  ConfigError,
  type Environment,
  STRATEGY_NAMES,
  drawPreference,
  mixedEnvironment,
  preferenceProbability,
  runSimulation,
  validateSimulationConfig,
} from '@borda/simulator';

const small: Environment = mixedEnvironment({ prompts: 12, responses: 6, nearTies: 3, seed: 1 });

describe('Bradley–Terry labels', () => {
  it('are drawn with frequency σ(r(first) − r(second))', () => {
    const env: Environment = {
      name: 'bt',
      offsets: new Int32Array([0, 3]),
      features: { rows: 3, cols: 1, data: new Float64Array([0, 1, 2]) },
      reward: new Float64Array([0, 1, -1.5]),
    };
    const rng = new Rng(11);
    const n = 40_000;
    for (const [a, b] of [
      [1, 0],
      [0, 2],
      [2, 1],
    ]) {
      const p = sigmoid(env.reward[a] - env.reward[b]);
      expect(preferenceProbability(env, 0, a, b)).toBeCloseTo(p, 15);
      let wins = 0;
      for (let i = 0; i < n; i++) wins += drawPreference(env, 0, a, b, rng);
      // 4.5 binomial standard deviations: a fixed-seed check that still catches a wrong link.
      expect(Math.abs(wins / n - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / n));
    }
  });
});

describe('runSimulation', () => {
  it('is reproducible under a seed and differs across seeds', async () => {
    const opts = { environment: small, strategy: 'ae-borda', budget: 60, batchSize: 4, checkpointEvery: 12 };
    const a = await runSimulation({ ...opts, seed: 3 });
    const b = await runSimulation({ ...opts, seed: 3 });
    const c = await runSimulation({ ...opts, seed: 4 });
    expect(a.curve).toEqual(b.curve);
    expect(a.finalPolicy).toEqual(b.finalPolicy);
    expect(c.curve).not.toEqual(a.curve);
  });

  it('records checkpoints at 0, past each interval and at the budget, calling onProgress per round', async () => {
    const progress: number[] = [];
    const r = await runSimulation({
      environment: small,
      strategy: 'uniform',
      budget: 50,
      batchSize: 8,
      checkpointEvery: 20,
      seed: 1,
      onProgress: (l) => progress.push(l),
    });
    expect(progress).toEqual([8, 16, 24, 32, 40, 48, 50]);
    expect(r.curve.labels).toEqual([0, 24, 40, 50]);
    expect(r.curve.subOptMax.every((v, i) => v >= r.curve.subOptMean[i] && v >= 0)).toBe(true);
    expect(r.modelKind).toBe('borda-gp');
    // The run reports the model it used: kind and the lengthscale (the environment's hint).
    expect(r.model).toMatchObject({ kind: 'borda-gp', lengthscale: small.lengthscale });
    expect(r.finalPolicy).toHaveLength(12);
  });

  it('runs every strategy on its own model kind', async () => {
    const kinds: Record<string, string> = {};
    for (const strategy of STRATEGY_NAMES) {
      const r = await runSimulation({ environment: small, strategy, budget: 8, batchSize: 4, seed: 1 });
      kinds[strategy] = r.modelKind;
      expect(r.curve.labels).toEqual([0, 8]);
      // Only the neural model reports the TensorFlow.js backend it trained on (here wasm or cpu).
      if (r.modelKind === 'neural-bt') expect(['wasm', 'cpu', 'tensorflow']).toContain(r.tensorflowBackend);
      else expect(r.tensorflowBackend).toBeUndefined();
    }
    expect(kinds).toMatchObject({
      'ae-auto': 'bt-laplace',
      'ae-borda': 'borda-gp',
      uniform: 'borda-gp',
      'uniform-borda': 'borda-gp',
      apo: 'linear-bt',
      'ae-neural': 'neural-bt',
    });
  });

  it('runs the Borda strategies on the low-rank model when asked', async () => {
    const r = await runSimulation({
      environment: small,
      strategy: 'ae-borda',
      budget: 40,
      batchSize: 4,
      model: { lowRank: true },
    });
    expect(r.modelKind).toBe('low-rank-borda');
    expect(r.model).toMatchObject({ kind: 'low-rank-borda', randomFeatures: 128 });
    expect(r.curve.subOptMax[r.curve.subOptMax.length - 1]).toBeLessThan(r.curve.subOptMax[0]);
  });

  it('refuses bad options before running, naming the problem', async () => {
    await expect(runSimulation({ environment: small, strategy: 'nope', budget: 10 })).rejects.toThrow(
      /unknown strategy 'nope'; valid names: .*\bae-borda, uniform/,
    );
    await expect(runSimulation({ environment: small, strategy: 'uniform', budget: 4, batchSize: 8 })).rejects.toThrow(
      /budget \(4\) is smaller than the batch size \(8\)/,
    );
    await expect(
      runSimulation({ environment: small, strategy: 'ae-borda', budget: 10, strategyOptions: { beta: 0 } }),
    ).rejects.toThrow(/beta must be a positive number, got 0/);
    const nan = { ...small, reward: Float64Array.from(small.reward, (r, i) => (i === 7 ? NaN : r)) };
    await expect(runSimulation({ environment: nan, strategy: 'uniform', budget: 10 })).rejects.toThrow(
      /prompt 1, response 1 \(row 7\): reward is NaN/,
    );
  });

  // The statistical claim of the method, on fixed seeds: uniform wastes labels on the clear prompts.
  // The default (ae-auto, its model's feature map and hyperparameters learned) and the paper's rule on
  // its fixed kernel both beat uniform selection where prompts differ in difficulty.
  it('ae-auto and ae-borda end with a lower SubOpt_max than uniform on the same budget (mean of 6 seeds)', async () => {
    const finalMean = async (strategy: string, model = {}) => {
      let sum = 0;
      for (let seed = 1; seed <= 6; seed++) {
        const r = await runSimulation({ environment: small, strategy, budget: 250, seed, checkpointEvery: 250, model });
        sum += r.curve.subOptMax[r.curve.subOptMax.length - 1];
      }
      return sum / 6;
    };
    const fixed = { learnHyperparameters: false };
    expect(await finalMean('ae-borda', fixed)).toBeLessThan((await finalMean('uniform', fixed)) - 0.5);
    expect(await finalMean('ae-auto')).toBeLessThan((await finalMean('uniform')) - 0.5);
  });
});

describe('validateSimulationConfig', () => {
  const ok = { environment: 'branin', budget: 100 };
  it('fills defaults', () => {
    expect(validateSimulationConfig(ok)).toMatchObject({
      strategies: [...STRATEGY_NAMES],
      batchSize: 1,
      seeds: 10,
      seedStart: 1,
      checkpointEvery: 10,
    });
  });
  it.each([
    [
      { environment: 'nowhere' },
      /unknown environment 'nowhere'; valid names: branin, ackley, rosenbrock, hartmann, linear, gp-sample, mixed, embedding/,
    ],
    [{ environment: 'missing.json' }, /environment file 'missing.json' does not exist/],
    [{ strategies: ['ae-borda', 'best'] }, /unknown strategy 'best'; valid names: .*\bae-borda, uniform/],
    [{ budget: 8, batchSize: 16 }, /budget \(8\) is smaller than the batch size \(16\)/],
    [{ seeds: 0 }, /seeds must be a positive integer \(a count\), got 0/],
    [{ beta: -1 }, /beta must be a positive number, got -1/],
    [{ beta: 0 }, /beta must be a positive number, got 0/],
    [{ budget: 2.5 }, /budget must be a positive integer, got 2.5/],
    [{ gridSize: 1 }, /grid size must be an integer in \[2, 200\], got 1/],
  ])('refuses %o', (patch, message) => {
    expect(() => validateSimulationConfig({ ...ok, ...patch })).toThrow(message);
    expect(() => validateSimulationConfig({ ...ok, ...patch })).toThrow(ConfigError);
  });
  it('names every problem at once', () => {
    expect(() => validateSimulationConfig({ environment: 'x', budget: 0, seeds: -1 })).toThrow(
      /unknown environment 'x'.*; budget must be .*; seeds must be/,
    );
  });
});
