import { describe, expect, it } from 'vitest';
import { Rng, fromRows } from '@borda/numeric';
import {
  BordaGP,
  LinearBradleyTerry,
  LowRankBorda,
  NeuralBradleyTerry,
  RandomFourierFeatures,
  loadModel,
  type PairObservation,
  type PreferenceModel,
  type SerializedModel,
} from '@borda/reward-model';

function observations(d: number, n: number, seed: number): PairObservation[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const first = Array.from(rng.normals(d));
    const second = Array.from(rng.normals(d));
    return { first, second, outcome: rng.bernoulli(first[0] > second[0] ? 0.8 : 0.2) };
  });
}

describe('loadModel', () => {
  const d = 3;
  const data = observations(d, 40, 1);
  const probe = fromRows(Array.from({ length: 5 }, (_, i) => [i / 5, -i / 7, 0.3]));
  const models: PreferenceModel[] = [
    new BordaGP({ dimension: d }),
    new LowRankBorda({
      dimension: d,
      featureMap: new RandomFourierFeatures({ inputDimension: d, features: 16, lengthscale: 1, seed: 2 }),
    }),
    new LinearBradleyTerry({ dimension: d }),
    new NeuralBradleyTerry({ dimension: d, members: 2, hiddenUnits: [8], epochs: 5, seed: 3 }),
  ];

  for (const model of models) {
    it(`restores a ${model.kind} that predicts exactly like the original`, () => {
      model.fit(data);
      const restored = loadModel(JSON.parse(JSON.stringify(model.toJSON())) as SerializedModel);
      expect(restored.kind).toBe(model.kind);
      expect(restored.observationCount).toBe(model.observationCount);
      const a = model.predict(probe);
      const b = restored.predict(probe);
      expect(Array.from(b.mean)).toEqual(Array.from(a.mean));
      expect(Array.from(b.std)).toEqual(Array.from(a.std));
    });
  }

  it('refuses an unknown kind, naming the valid ones', () => {
    expect(() => loadModel({ kind: 'svm', version: 1 } as unknown as SerializedModel)).toThrow(
      /unknown kind "svm"; expected one of borda-gp, low-rank-borda, linear-bt, neural-bt/,
    );
  });
});
