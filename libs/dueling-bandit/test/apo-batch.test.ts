import { describe, expect, it } from 'vitest';
import { Rng, row } from '@borda/numeric';
import { LinearBradleyTerry } from '@borda/reward-model';
import { ApoStrategy, apoHallucinatedGreedy, selectablePrompts } from '@borda/dueling-bandit';
import { randomCandidates } from './helpers';

describe('apo batch with hallucinated design updates', () => {
  const candidates = randomCandidates(9, (p) => 2 + (p % 3), 4, 21);

  function trained() {
    const model = new LinearBradleyTerry({ dimension: 4, norm: 'design' });
    const rng = new Rng(5);
    model.fit(
      Array.from({ length: 12 }, () => {
        const i = rng.int(candidates.features.rows);
        const j = rng.int(candidates.features.rows);
        return { first: row(candidates.features, i), second: row(candidates.features, j), outcome: rng.bernoulli(0.5) };
      }),
    );
    return model;
  }

  it('whitened norms equal differenceNorm', () => {
    const model = trained();
    const u = model.whiten(candidates.features);
    for (const [i, j] of [
      [0, 1],
      [3, 4],
      [7, 8],
    ]) {
      let s = 0;
      for (let k = 0; k < u.cols; k++) s += (u.data[i * u.cols + k] - u.data[j * u.cols + k]) ** 2;
      expect(Math.sqrt(s)).toBeCloseTo(
        model.differenceNorm(row(candidates.features, i), row(candidates.features, j)),
        10,
      );
    }
  });

  it('equals APO run one label at a time with the design matrix really updated', () => {
    const batch = 8;
    const greedy = apoHallucinatedGreedy(
      trained().whiten(candidates.features),
      candidates,
      selectablePrompts(candidates),
      batch,
    );
    // Reference: argmax over every pair through differenceNorm, then a real update (the design
    // matrix V = λI + Σ zzᵀ does not depend on the outcome).
    const model = trained();
    for (let t = 0; t < batch; t++) {
      let best = { prompt: -1, first: -1, second: -1, norm: -Infinity };
      for (let p = 0; p + 1 < candidates.offsets.length; p++) {
        const o = candidates.offsets[p];
        for (let i = o; i < candidates.offsets[p + 1]; i++) {
          for (let j = i + 1; j < candidates.offsets[p + 1]; j++) {
            const norm = model.differenceNorm(row(candidates.features, i), row(candidates.features, j));
            if (norm > best.norm) best = { prompt: p, first: i - o, second: j - o, norm };
          }
        }
      }
      expect([greedy[t].prompt, greedy[t].first, greedy[t].second]).toEqual([best.prompt, best.first, best.second]);
      expect(greedy[t].norm).toBeCloseTo(best.norm, 9);
      const o = candidates.offsets[best.prompt];
      model.update([
        {
          first: row(candidates.features, o + best.first),
          second: row(candidates.features, o + best.second),
          outcome: 1,
        },
      ]);
    }
    // Hallucination spreads the batch: the first pick's norm is the largest, and it does not repeat at once.
    expect(greedy[1].norm).toBeLessThanOrEqual(greedy[0].norm);
    expect([greedy[1].prompt, greedy[1].first, greedy[1].second]).not.toEqual([
      greedy[0].prompt,
      greedy[0].first,
      greedy[0].second,
    ]);
  });

  it('is what ApoStrategy uses for a model that whitens', () => {
    const model = trained();
    const queries = new ApoStrategy().select({ candidates, model, batchSize: 5, rng: new Rng(2) });
    const greedy = apoHallucinatedGreedy(
      model.whiten(candidates.features),
      candidates,
      selectablePrompts(candidates),
      5,
    );
    expect(queries.map((q) => [q.prompt, Math.min(q.first, q.second), Math.max(q.first, q.second)])).toEqual(
      greedy.map((g) => [g.prompt, g.first, g.second]),
    );
  });
});
