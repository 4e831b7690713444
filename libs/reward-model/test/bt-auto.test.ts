import { describe, expect, it } from 'vitest';
import { Rng, sigmoid } from '@borda/numeric';
import {
  AutoBradleyTerry,
  LaplaceBradleyTerry,
  type PairObservation,
  type SerializedModel,
  loadModel,
} from '@borda/reward-model';

function labelled(
  n: number,
  seed: number,
  reward: (x: Float64Array) => number,
  draw: (rng: Rng) => Float64Array,
): PairObservation[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const first = draw(rng);
    const second = draw(rng);
    return { first, second, outcome: rng.bernoulli(sigmoid(reward(first) - reward(second))) };
  });
}

const weights = new Rng(77).normals(20).map((v) => v * 0.5);
const linear = (n: number, seed: number) =>
  labelled(
    n,
    seed,
    (x) => x.reduce((s, v, j) => s + v * weights[j], 0),
    (rng) => rng.normals(20),
  );
/** Two narrow near-tied peaks on [0, 1]², responses drawn near them half the time. */
const peaks = (n: number, seed: number) =>
  labelled(
    n,
    seed,
    (x) =>
      4 * Math.exp(-((x[0] - 0.25) ** 2 + (x[1] - 0.7) ** 2) / (2 * 0.06 ** 2)) +
      3.8 * Math.exp(-((x[0] - 0.75) ** 2 + (x[1] - 0.3) ** 2) / (2 * 0.06 ** 2)),
    (rng) => {
      if (rng.next() < 0.5) return Float64Array.from([rng.next(), rng.next()]);
      const [cx, cy] = rng.next() < 0.5 ? [0.25, 0.7] : [0.75, 0.3];
      return Float64Array.from([cx + 0.2 * (rng.next() - 0.5), cy + 0.2 * (rng.next() - 0.5)]);
    },
  );

function rows(data: readonly PairObservation[], take = 50) {
  const d = data[0].first.length;
  const out = new Float64Array(take * d);
  for (let i = 0; i < take; i++) out.set(data[i].first, i * d);
  return { rows: take, cols: d, data: out };
}

describe('AutoBradleyTerry', () => {
  it('chooses raw features for a reward linear in 20 dimensions', () => {
    const model = new AutoBradleyTerry({ dimension: 20, seed: 3 });
    model.fit(linear(400, 1));
    const hp = model.hyperparameters;
    expect(hp.choice).toMatchObject({ chosen: 'linear', method: 'evidence', atLabels: 400 });
    expect(hp.choice.scores.map((s) => s.name)).toEqual(['linear+rff', 'rff', 'linear']);
    expect(hp.featureMap).toBe('linear');
  });

  it('chooses random Fourier features with a lengthscale below the median heuristic on narrow peaks', () => {
    const model = new AutoBradleyTerry({ dimension: 2, seed: 3 });
    model.fit(peaks(500, 2));
    const hp = model.hyperparameters;
    expect(hp.choice.chosen).not.toBe('linear');
    expect(hp.lengthscale!).toBeLessThan(hp.medianHeuristic! / 2);
  });

  it('starts from the richest map, so a reward the linear map cannot see is still explored', () => {
    const model = new AutoBradleyTerry({ dimension: 2, seed: 1 });
    model.update(peaks(10, 8));
    expect(model.hyperparameters.choice).toMatchObject({ chosen: 'linear+rff', method: 'prior' });
  });

  it('uses the first map below minLabels, then chooses again as the labels grow by the factor', () => {
    const data = peaks(300, 4);
    const model = new AutoBradleyTerry({ dimension: 2, seed: 1, minLabels: 30, rechooseGrowth: 2 });
    const atLabels: number[] = [];
    for (let i = 0; i < data.length; i += 10) {
      model.update(data.slice(i, i + 10));
      if (atLabels.at(-1) !== model.hyperparameters.choice.atLabels)
        atLabels.push(model.hyperparameters.choice.atLabels);
    }
    expect(model.observationCount).toBe(300);
    // Prior until 30 labels, then chosen at 30, 60, 120, 240.
    expect(atLabels).toEqual([0, 30, 60, 120, 240]);
    expect(model.hyperparameters.choice.method).toBe('evidence');
  });

  it('serialises as the chosen LaplaceBradleyTerry, with identical predictions', () => {
    const data = peaks(200, 5);
    const model = new AutoBradleyTerry({ dimension: 2, seed: 9 });
    model.fit(data);
    const json = JSON.parse(JSON.stringify(model.toJSON())) as SerializedModel;
    const loaded = loadModel(json);
    expect(loaded).toBeInstanceOf(LaplaceBradleyTerry);
    const grid = rows(data);
    expect(Array.from(loaded.predict(grid).mean)).toEqual(Array.from(model.predict(grid).mean));
    expect(Array.from(loaded.predict(grid).std)).toEqual(Array.from(model.predict(grid).std));
  });

  it('is deterministic under its seed whatever ran before', () => {
    const data = peaks(150, 6);
    const a = new AutoBradleyTerry({ dimension: 2, seed: 11 });
    a.fit(data);
    new Rng(1).normals(1000);
    const b = new AutoBradleyTerry({ dimension: 2, seed: 11 });
    b.fit(data);
    expect(b.hyperparameters).toEqual(a.hyperparameters);
    const grid = rows(data);
    expect(Array.from(b.predict(grid).mean)).toEqual(Array.from(a.predict(grid).mean));
  });
});
