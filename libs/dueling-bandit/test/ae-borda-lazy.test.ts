import { describe, expect, it } from 'vitest';
import { Rng, selectRows } from '@borda/numeric';
import { LowRankBorda, RandomFourierFeatures } from '@borda/reward-model';
import {
  AeBordaStrategy,
  hallucinatedGreedy,
  lazyHallucinatedGreedy,
  rankPromptsByGap,
  selectablePrompts,
  type CandidateSet,
} from '@borda/dueling-bandit';
import { randomCandidates } from './helpers';

function trainedLowRank(candidates: CandidateSet, labels: number, seed: number, featureMap?: RandomFourierFeatures) {
  const d = candidates.features.cols;
  const model = new LowRankBorda({ dimension: d, featureMap });
  const rng = new Rng(seed);
  const rows = candidates.features.rows;
  const observations = Array.from({ length: labels }, () => {
    const i = rng.int(rows);
    const j = rng.int(rows);
    return {
      first: candidates.features.data.subarray(i * d, (i + 1) * d),
      second: candidates.features.data.subarray(j * d, (j + 1) * d),
      outcome: rng.bernoulli(0.5),
    };
  });
  model.update(observations);
  return model;
}

describe('LowRankBorda.conditioner', () => {
  it('gives the variance of a model that really observed the added rows, whatever the outcome', () => {
    const candidates = randomCandidates(12, 3, 5, 1);
    const model = trainedLowRank(candidates, 20, 2);
    const conditioner = model.conditioner();
    const added = [4, 17];
    for (const r of added) conditioner.addRow(selectRows(candidates.features, [r]).data);
    const observed = LowRankBorda.load(model.toJSON());
    observed.update(
      added.map((r) => {
        const row = selectRows(candidates.features, [r]).data;
        return { first: row, second: row, outcome: 1 };
      }),
    );
    const expected = observed.predict(candidates.features).std;
    const variance = conditioner.varianceAt(candidates.features);
    for (let i = 0; i < variance.length; i++) expect(Math.sqrt(variance[i])).toBeCloseTo(expected[i], 10);
    // The model itself is untouched by the conditioner.
    expect(model.observationCount).toBe(20);
  });
});

describe('ae-borda lazy greedy', () => {
  it('picks exactly what the pooled greedy picks (which equals brute force), on raw and RFF features', () => {
    for (const seed of [1, 2, 3]) {
      const candidates = randomCandidates(80, (p) => (p % 9 === 0 ? 1 : 2 + (p % 4)), 4, seed);
      const map =
        seed === 3 ? new RandomFourierFeatures({ inputDimension: 4, features: 24, lengthscale: 1.5, seed }) : undefined;
      const model = trainedLowRank(candidates, 30, seed + 10, map);
      const posterior = model.predict(candidates.features);
      const ranking = rankPromptsByGap(
        posterior.mean,
        posterior.std,
        candidates.offsets,
        selectablePrompts(candidates),
        2,
      );
      const batch = 20;
      const pooled = hallucinatedGreedy(model, candidates, posterior, ranking, {
        beta: 2,
        batchSize: batch,
        initialPoolPrompts: 4,
      });
      const lazy = lazyHallucinatedGreedy(model.conditioner(), candidates, posterior, ranking, {
        beta: 2,
        batchSize: batch,
      });
      expect(lazy.picks.map((p) => [p.prompt, p.arm])).toEqual(pooled.picks.map((p) => [p.prompt, p.arm]));
      lazy.picks.forEach((p, k) => expect(p.gap).toBeCloseTo(pooled.picks[k].gap, 9));
    }
  });

  it('evaluates far fewer prompts than the campaign holds when labels are plentiful', () => {
    const candidates = randomCandidates(2000, 4, 8, 5);
    const model = trainedLowRank(candidates, 3000, 6);
    const posterior = model.predict(candidates.features);
    const ranking = rankPromptsByGap(
      posterior.mean,
      posterior.std,
      candidates.offsets,
      selectablePrompts(candidates),
      2,
    );
    const result = lazyHallucinatedGreedy(model.conditioner(), candidates, posterior, ranking, {
      beta: 2,
      batchSize: 32,
    });
    expect(result.picks).toHaveLength(32);
    expect(result.evaluations).toBeLessThan(2000);
  });

  it('is what AeBordaStrategy uses for a low-rank model, with the same queries as the pooled path', () => {
    const candidates = randomCandidates(50, 3, 4, 9);
    const model = trainedLowRank(candidates, 25, 11);
    const viaStrategy = new AeBordaStrategy({ modelKind: 'low-rank-borda' }).select({
      candidates,
      model,
      batchSize: 10,
      rng: new Rng(0),
    });
    const withoutConditioner = Object.assign(Object.create(Object.getPrototypeOf(model)), model, {
      conditioner: undefined,
    }) as LowRankBorda;
    const pooled = new AeBordaStrategy({ modelKind: 'low-rank-borda' }).select({
      candidates,
      model: withoutConditioner,
      batchSize: 10,
      rng: new Rng(0),
    });
    expect(viaStrategy.map((q) => [q.prompt, q.first, q.second])).toEqual(
      pooled.map((q) => [q.prompt, q.first, q.second]),
    );
    viaStrategy.forEach((q, k) => expect(q.score).toBeCloseTo(pooled[k].score, 9));
  });
});
