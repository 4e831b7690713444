import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeatureMatrix, Rng, sigmoid } from '@borda/numeric';
import {
  NeuralBradleyTerry,
  type NeuralBradleyTerryOptions,
  type PairObservation,
  type SerializedNeuralBradleyTerry,
  type TensorflowBackendName,
  activeBackend,
  initTensorflow,
  tf,
} from '@borda/reward-model';

const D = 6;
/** A nonlinear reward no linear model of x can rank. */
const reward = (x: ArrayLike<number>) => Math.sin(2 * x[0]) + x[1] * x[1] - x[2] * x[3];

function point(rng: Rng, scale = 1): number[] {
  return Array.from({ length: D }, () => scale * (2 * rng.next() - 1));
}

function pairs(n: number, rng: Rng, sharpness = 4): PairObservation[] {
  return Array.from({ length: n }, () => {
    const first = point(rng);
    const second = point(rng);
    return { first, second, outcome: rng.bernoulli(sigmoid(sharpness * (reward(first) - reward(second)))) };
  });
}

function matrix(rows: number[][]): FeatureMatrix {
  return { rows: rows.length, cols: rows[0].length, data: Float64Array.from(rows.flat()) };
}

function arms(obs: readonly PairObservation[]): FeatureMatrix {
  return matrix(obs.flatMap((o) => [Array.from(o.first), Array.from(o.second)]));
}

/** Share of held-out pairs the model's mean ranks like the true reward. */
function pairAccuracy(model: NeuralBradleyTerry, test: PairObservation[]): number {
  const mean = model.predict(arms(test)).mean;
  let ok = 0;
  test.forEach((p, i) => {
    if (mean[2 * i] > mean[2 * i + 1] === reward(p.first) > reward(p.second)) ok++;
  });
  return ok / test.length;
}

const small: NeuralBradleyTerryOptions = { dimension: D, hiddenUnits: [32, 32], members: 3, seed: 1 };

let initial: TensorflowBackendName;
beforeAll(async () => {
  initial = (await initTensorflow()).backend;
});
afterAll(async () => {
  await initTensorflow({ preference: [initial] });
});

describe('NeuralBradleyTerry', () => {
  const rng = new Rng(1);
  const train = pairs(400, rng);
  const test = pairs(400, rng);
  const ensemble = new NeuralBradleyTerry(small);

  it('learns a known nonlinear preference (held-out pair accuracy > 0.8) and reports its training', () => {
    ensemble.fit(train);
    expect(pairAccuracy(ensemble, test)).toBeGreaterThan(0.8);
    const r = ensemble.trainingReport;
    expect(r.mode).toBe('fit');
    expect(r.backend).toBe(activeBackend());
    expect(r.trainingPairs).toBe(320);
    expect(r.validationPairs).toBe(80);
    expect(r.bestValidationAccuracy).toBeGreaterThan(0.8);
    expect(r.bestValidationLoss).toBeLessThan(Math.log(2));
    expect(r.epochsRun).toBeGreaterThan(0);
  });

  it('centres every member on the training arms (a BT reward has no scale origin)', () => {
    const anchors = arms(train);
    const mean = ensemble.predict(anchors).mean;
    const avg = mean.reduce((s, v) => s + v, 0) / mean.length;
    expect(Math.abs(avg)).toBeLessThan(1e-5);
  });

  it('stops early on a tiny noisy set and restores the best weights', () => {
    const noisy = Array.from({ length: 60 }, () => ({
      first: point(rng),
      second: point(rng),
      outcome: rng.bernoulli(0.5),
    }));
    const model = new NeuralBradleyTerry({ ...small, epochs: 300, patience: 5, learningRate: 0.01 });
    model.fit(noisy);
    const r = model.trainingReport;
    expect(r.stoppedEarly).toBe(true);
    expect(r.epochsRun).toBeLessThan(300);
    // The loop ends exactly `patience` epochs after the last member's best epoch.
    expect(r.epochsRun).toBe(Math.max(...r.bestEpoch) + 5);
    for (let m = 0; m < 3; m++) {
      expect(r.memberRestoredValidationLoss[m]).toBeCloseTo(r.memberBestValidationLoss[m], 5);
      expect(r.memberBestValidationLoss[m]).toBeLessThanOrEqual(r.memberLastValidationLoss[m]);
    }
    // Overfitting noise: at least one member got worse after its best epoch, and the model kept the best.
    expect(r.memberLastValidationLoss.some((l, m) => l > r.memberBestValidationLoss[m] + 1e-4)).toBe(true);
  });

  it('gives identical predictions for the same seed and different ones for another seed', () => {
    const probe = arms(test.slice(0, 50));
    const a = new NeuralBradleyTerry({ ...small, epochs: 5 });
    const b = new NeuralBradleyTerry({ ...small, epochs: 5 });
    const c = new NeuralBradleyTerry({ ...small, epochs: 5, seed: 2 });
    for (const m of [a, b, c]) m.fit(train.slice(0, 100));
    const pa = a.predict(probe);
    expect(Array.from(b.predict(probe).mean)).toEqual(Array.from(pa.mean));
    expect(Array.from(b.predict(probe).std)).toEqual(Array.from(pa.std));
    expect(Array.from(c.predict(probe).mean)).not.toEqual(Array.from(pa.mean));
  });

  it('is more uncertain far from the training data than on it', () => {
    const near = ensemble.predict(arms(test)).std;
    const farRng = new Rng(5);
    const far = ensemble.predict(matrix(Array.from({ length: 400 }, () => point(farRng, 8)))).std;
    const avg = (xs: Float64Array) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(avg(far)).toBeGreaterThan(3 * avg(near));
    expect(avg(near)).toBeGreaterThan(0);
  });

  it('round-trips through JSON: identical predictions, samples and updates', () => {
    const json = JSON.parse(JSON.stringify(ensemble.toJSON())) as SerializedNeuralBradleyTerry;
    const loaded = NeuralBradleyTerry.load(json);
    const probe = arms(test.slice(0, 100));
    const a = ensemble.predict(probe);
    const b = loaded.predict(probe);
    expect(Array.from(b.mean)).toEqual(Array.from(a.mean));
    expect(Array.from(b.std)).toEqual(Array.from(a.std));
    expect(loaded.observationCount).toBe(400);
    const more = pairs(30, new Rng(9));
    const copy = NeuralBradleyTerry.load(json);
    copy.update(more);
    loaded.update(more);
    expect(Array.from(loaded.predict(probe).mean)).toEqual(Array.from(copy.predict(probe).mean));
    expect(loaded.trainingReport.mode).toBe('update');
    expect(loaded.trainingReport.epochsRun).toBe(5);
    expect(loaded.observationCount).toBe(430);
  });

  it('samples members as posterior draws, cycling past the ensemble size', () => {
    const probe = arms(test.slice(0, 20));
    const draws = ensemble.sample(probe, 7, new Rng(3));
    expect(draws).toHaveLength(7);
    expect(Array.from(draws[3])).toEqual(Array.from(draws[0]));
    expect(Array.from(draws[1])).not.toEqual(Array.from(draws[0]));
    // The three distinct draws are the members predict() averages.
    const post = ensemble.predict(probe);
    for (let i = 0; i < 20; i++) expect((draws[0][i] + draws[1][i] + draws[2][i]) / 3).toBeCloseTo(post.mean[i], 5);
    expect(Array.from(ensemble.sample(probe, 7, new Rng(3))[6])).toEqual(Array.from(draws[6]));
  });

  it('with MC dropout: nonzero spread over fixed passes and fresh masks per sample draw', () => {
    const model = new NeuralBradleyTerry({ dimension: D, hiddenUnits: [32, 32], uncertainty: 'mc-dropout', seed: 4 });
    expect(model.options.members).toBe(1);
    expect(model.options.passes).toBe(5);
    expect(model.options.dropout).toBe(0.05);
    model.fit(train);
    expect(pairAccuracy(model, test)).toBeGreaterThan(0.8);
    const probe = arms(test.slice(0, 20));
    const post = model.predict(probe);
    expect(Math.min(...post.std)).toBeGreaterThan(0);
    const draws = model.sample(probe, 8, new Rng(1));
    const distinct = new Set(draws.map((d) => d.join(','))).size;
    expect(distinct).toBe(8);
    expect(Array.from(model.predict(probe).mean)).toEqual(Array.from(post.mean));
  });

  it('does not leak tensors across fit, update, predict and sample', () => {
    const model = new NeuralBradleyTerry({ dimension: D, hiddenUnits: [8], members: 2, epochs: 3, seed: 3 });
    const probe = arms(test.slice(0, 10));
    model.fit(train.slice(0, 40));
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) {
      model.predict(probe);
      model.update(train.slice(40 + 10 * k, 50 + 10 * k));
      model.sample(probe, 4, new Rng(k));
    }
    model.fit(train.slice(0, 60));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('behaves the same on the cpu backend on a tiny case', async () => {
    const tiny = train.slice(0, 40);
    const options = { dimension: D, hiddenUnits: [8], members: 2, epochs: 4, seed: 7 };
    const probe = arms(test.slice(0, 10));
    const here = new NeuralBradleyTerry(options);
    here.fit(tiny);
    const expected = here.predict(probe);
    await initTensorflow({ preference: ['cpu'] });
    try {
      const onCpu = new NeuralBradleyTerry(options);
      onCpu.fit(tiny);
      expect(onCpu.trainingReport.backend).toBe('cpu');
      expect(onCpu.trainingReport.epochsRun).toBe(here.trainingReport.epochsRun);
      const got = onCpu.predict(probe);
      for (let i = 0; i < probe.rows; i++) {
        expect(got.mean[i]).toBeCloseTo(expected.mean[i], 3);
        expect(got.std[i]).toBeCloseTo(expected.std[i], 3);
      }
    } finally {
      await initTensorflow({ preference: [initial] });
    }
  });

  it('validates options and observations with the offending field', () => {
    expect(() => new NeuralBradleyTerry({ dimension: D, passes: 3 })).toThrow(/passes is 3 but dropout is 0/);
    expect(() => new NeuralBradleyTerry({ dimension: D, validationFraction: 1 })).toThrow(/validationFraction/);
    expect(() => new NeuralBradleyTerry({ dimension: D, hiddenUnits: [8, 0] })).toThrow(/hiddenUnits\[1\]/);
    const model = new NeuralBradleyTerry({ dimension: 2, hiddenUnits: [4], members: 1 });
    expect(() => model.fit([{ first: [1, 2], second: [1, NaN], outcome: 1 }])).toThrow(
      /observations\[0\]\.second, column 1 is NaN/,
    );
    expect(() => model.fit([{ first: [1], second: [1, 2], outcome: 1 }])).toThrow(
      /observations\[0\]\.first has 1 values/,
    );
    expect(() => model.update([{ first: [1, 2], second: [0, 0], outcome: 2 }])).toThrow(/outcome is 2/);
    expect(() => model.predict(matrix([[1, 2, 3]]))).toThrow(/3 columns/);
    expect(model.observationCount).toBe(0);
    model.fit([{ first: [1, 2], second: [0, 0], outcome: 1 }]);
    // A rejected batch leaves the stored pairs alone.
    expect(() => model.fit([{ first: [1, 2], second: [0, Infinity], outcome: 0 }])).toThrow(/Infinity/);
    expect(model.observationCount).toBe(1);
  });
});
