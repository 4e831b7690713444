import { describe, expect, it } from 'vitest';
import { Rng, row } from '@borda/numeric';
import {
  AutoBradleyTerry,
  LaplaceBradleyTerry,
  type ModelKind,
  type PairObservation,
  PreferentialGP,
  loadModel,
} from '@borda/reward-model';
import {
  DEFAULT_RANDOM_FEATURES,
  LARGE_CANDIDATE_SET,
  createPreferenceModel,
  createSimulationModel,
  frozenOptions,
  medianDistance,
  modelHyperparameters,
  mixedEnvironment,
  modelChoice,
  numericPrecision,
  simulationModelKind,
} from '@borda/simulator';

const env = mixedEnvironment({ prompts: 6, responses: 5, nearTies: 1, seed: 2 });
const observations: PairObservation[] = Array.from({ length: 12 }, (_, i) => ({
  first: row(env.features, (3 * i) % env.features.rows),
  second: row(env.features, (7 * i + 1) % env.features.rows),
  outcome: i % 3 === 0 ? 0 : 1,
}));

describe('createPreferenceModel', () => {
  it('builds every available kind with one set of defaults', async () => {
    const expected: Record<string, number | undefined> = {
      'borda-gp': undefined,
      'low-rank-borda': DEFAULT_RANDOM_FEATURES['low-rank-borda'],
      'linear-bt': DEFAULT_RANDOM_FEATURES['linear-bt'],
    };
    for (const [kind, randomFeatures] of Object.entries(expected)) {
      const created = await createPreferenceModel(kind as ModelKind, env.features, {}, 7);
      expect(created.model.kind).toBe(kind);
      expect(created.model.dimension).toBe(2);
      expect(created.lengthscale).toBe(medianDistance(env.features));
      expect(created.randomFeatures).toBe(randomFeatures);
      await created.absorb(observations);
      expect(created.model.observationCount).toBe(12);
    }
  });

  it('is deterministic in (kind, features, options, seed) and the seed moves the random features', async () => {
    const options = { lengthscale: 0.3, randomFeatures: 16, regularization: 2 };
    const a = await createPreferenceModel('linear-bt', env.features, options, 11);
    const b = await createPreferenceModel('linear-bt', env.features, options, 11);
    const c = await createPreferenceModel('linear-bt', env.features, options, 12);
    for (const m of [a, b, c]) await m.absorb(observations);
    expect(b.model.toJSON()).toEqual(a.model.toJSON());
    expect(c.model.toJSON()).not.toEqual(a.model.toJSON());
  });

  it('builds the Laplace BT model (feature map chosen from the labels unless named) and the preferential GP', async () => {
    const auto = await createPreferenceModel('bt-laplace', env.features, {}, 3);
    expect(auto.model).toBeInstanceOf(AutoBradleyTerry);
    const fixed = await createPreferenceModel('bt-laplace', env.features, { featureMap: 'rff' }, 3);
    expect(fixed.model).toBeInstanceOf(LaplaceBradleyTerry);
    const pgp = await createPreferenceModel('preferential-gp', env.features, {}, 3);
    expect(pgp.model).toBeInstanceOf(PreferentialGP);
    for (const created of [auto, fixed, pgp]) {
      await created.absorb(observations);
      expect(created.model.observationCount).toBe(12);
      expect(modelChoice(created).hyperparameters).toBeDefined();
    }
    expect((modelChoice(fixed).hyperparameters as { featureMap: string }).featureMap).toBe('rff');
    await expect(createPreferenceModel('nope' as ModelKind, env.features)).rejects.toThrow(RangeError);
  });

  it('rebuilds a fitted model’s family with its learned hyperparameters held fixed (frozenOptions)', async () => {
    const many = Array.from({ length: 60 }, (_, i) => observations[i % observations.length]);
    for (const [kind, options] of [
      ['borda-gp', {}],
      ['bt-laplace', {}],
      ['bt-laplace', { featureMap: 'linear+rff' }],
      ['preferential-gp', {}],
    ] as const) {
      const learned = await createPreferenceModel(kind, env.features, options, 5);
      await learned.absorb(many);
      const frozen = frozenOptions(learned.model);
      expect(frozen.learnHyperparameters, kind).toBe(false);
      const copy = await createPreferenceModel(kind, env.features, { ...options, ...frozen }, 5);
      await copy.absorb(many);
      const a = modelHyperparameters(learned.model) as Record<string, unknown>;
      const b = modelHyperparameters(copy.model) as Record<string, unknown>;
      for (const key of [
        'lengthscale',
        'lengthscales',
        'signalVariance',
        'noiseVariance',
        'featureMap',
        'rffPrecision',
      ]) {
        if (a[key] === undefined || a[key] === null) continue;
        if (typeof a[key] === 'number') expect(b[key] as number, `${kind} ${key}`).toBeCloseTo(a[key] as number, 10);
        else expect(b[key], `${kind} ${key}`).toEqual(a[key]);
      }
    }
    expect(frozenOptions((await createPreferenceModel('linear-bt', env.features)).model)).toEqual({});
  });

  it('learns the exact GP’s hyperparameters unless told not to', async () => {
    const learned = await createPreferenceModel('borda-gp', env.features, {}, 1);
    const fixed = await createPreferenceModel('borda-gp', env.features, { learnHyperparameters: false }, 1);
    const many = Array.from({ length: 40 }, (_, i) => observations[i % observations.length]);
    await learned.absorb(many);
    await fixed.absorb(many);
    const hp = (m: typeof learned) => m.model.toJSON() as { learned?: unknown };
    expect(hp(learned).learned).toBeTruthy();
    expect(hp(fixed).learned ?? null).toBeNull();
  });

  it('buffers the neural model’s labels until retrainEvery, and flushes before the final policy', async () => {
    const created = await createPreferenceModel('neural-bt', env.features, {
      neural: { members: 1, hiddenUnits: [4], epochs: 2, updateEpochs: 1, retrainEvery: 10 },
    });
    await created.absorb(observations.slice(0, 6));
    expect(created.model.observationCount).toBe(0);
    await created.absorb(observations.slice(6));
    expect(created.model.observationCount).toBe(12);
    expect(['wasm', 'cpu', 'tensorflow']).toContain(created.tensorflowBackend);
  });
});

describe('the simulator and the campaign service build the same model', () => {
  it('same kind, options and seed: the same model, whichever path built it', async () => {
    const options = { randomFeatures: 24, regularization: 0.5 };
    for (const kind of ['borda-gp', 'low-rank-borda', 'linear-bt'] as const) {
      // The simulator's path draws the seed from its model stream; the service passes the campaign's.
      const seed = new Rng(5).nextUint32();
      const simulated = await createSimulationModel(kind, env, options, new Rng(5));
      const served = await createPreferenceModel(
        kind,
        env.features,
        { ...options, lengthscale: env.lengthscale },
        seed,
      );
      await simulated.absorb(observations);
      await served.absorb(observations);
      expect(simulated.model.toJSON()).toEqual(served.model.toJSON());
      expect(modelChoice(simulated)).toEqual(modelChoice(served));
    }
  });

  it('the simulator sizes the exact GP’s tracked cache for its whole budget on large environments', async () => {
    const rows = 20_000;
    const big = {
      name: 'big',
      offsets: Int32Array.from({ length: rows / 2 + 1 }, (_, p) => 2 * p),
      features: { rows, cols: 1, data: Float64Array.from({ length: rows }, (_, i) => i / rows) },
      reward: new Float64Array(rows),
      lengthscale: 0.1,
    };
    const budgetOf = async (budget: number) =>
      (
        (await createSimulationModel('borda-gp', big, {}, new Rng(1), { budget })).model.toJSON() as never as {
          trackingBudget: number;
        }
      ).trackingBudget;
    expect(await budgetOf(100)).toBe(2 ** 24); // fits the default
    expect(await budgetOf(1000)).toBe(rows * 1001);
    expect(await budgetOf(100_000)).toBe(2 ** 27); // capped at 1 GiB
  });

  it('the simulator swaps the exact GP for the low-rank model only for Borda strategies', () => {
    expect(simulationModelKind('borda-gp', { lowRank: true })).toBe('low-rank-borda');
    expect(simulationModelKind('linear-bt', { lowRank: true })).toBe('linear-bt');
    expect(simulationModelKind('borda-gp')).toBe('borda-gp');
  });
});

describe('numeric precision is a setting of the model, not of the process', () => {
  const scoringOf = (model: { toJSON(): unknown }) => (model.toJSON() as { scoring?: { path?: string } }).scoring;

  it('scores small candidate sets in float64 and large ones in float32, whatever ran before', async () => {
    expect(numericPrecision(env.features)).toBe('float64');
    expect(numericPrecision({ rows: LARGE_CANDIDATE_SET, cols: 2, data: new Float64Array(0) })).toBe('float32');
    for (const kind of ['low-rank-borda', 'bt-laplace'] as const) {
      const fast = await createPreferenceModel(kind, env.features, { precision: 'float32' }, 7);
      expect(scoringOf(fast.model)).toEqual({ path: 'tensor' });
      // Built after a float32 model loaded the tensor backend: still float64, as its size says.
      const exact = await createPreferenceModel(kind, env.features, {}, 7);
      expect(scoringOf(exact.model)).toEqual({ path: 'js' });
    }
  });

  it('keeps the precision through toJSON and load, so a loaded model computes as it was built', async () => {
    const { model } = await createPreferenceModel(
      'bt-laplace',
      env.features,
      { featureMap: 'linear', precision: 'float32' },
      7,
    );
    model.update(observations);
    const restored = loadModel(model.toJSON());
    expect(scoringOf(restored)).toEqual({ path: 'tensor' });
    const exact = (await createPreferenceModel('bt-laplace', env.features, { featureMap: 'linear' }, 7)).model;
    exact.update(observations);
    const a = loadModel(exact.toJSON()).predict(env.features);
    const b = exact.predict(env.features);
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
  });
});
