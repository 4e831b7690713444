import { describe, expect, it } from 'vitest';
import { Rng } from '@borda/numeric';
import type { PreferenceModel } from '@borda/reward-model';
import {
  DEFAULT_STRATEGY,
  STRATEGY_NAMES,
  candidateSetFromMatrices,
  candidateSetFromRows,
  candidateSubset,
  createStrategy,
  describeStrategy,
  promptOfRow,
  selectablePrompts,
  strategyCompatibleModelKinds,
  strategyModelKind,
  validateCandidateSet,
  type CandidateSet,
  type StrategyName,
} from '@borda/dueling-bandit';
import { BayesLinearModel, FixedLinearModel, FixedPosteriorModel, idCandidates } from './helpers';

/** A model of the strategy's default kind over `candidates` (features [id, x, y]). */
function modelFor(name: StrategyName, n: number): PreferenceModel {
  const rng = new Rng(99);
  const posterior = { mean: Array.from(rng.normals(n)), std: Array.from(rng.normals(n), (v) => 0.2 + Math.abs(v)) };
  const kind = strategyModelKind(name);
  if (kind === 'linear-bt')
    return new FixedLinearModel(
      posterior,
      [
        [1, 0],
        [0, 1],
      ],
      3,
    );
  return new FixedPosteriorModel(posterior, kind, 3);
}

const pointRng = new Rng(7);
const candidates = idCandidates([4, 1, 3, 5, 2, 4, 3, 2], () => Array.from(pointRng.normals(2)));

describe('catalog', () => {
  it('creates every strategy by name with its model kind and a description', () => {
    expect(STRATEGY_NAMES).toHaveLength(9);
    expect(new Set(STRATEGY_NAMES).size).toBe(9);
    for (const name of STRATEGY_NAMES) {
      const s = createStrategy(name);
      expect(s.name).toBe(name);
      expect(s.modelKind).toBe(strategyModelKind(name));
      expect(strategyCompatibleModelKinds(name)).toContain(s.modelKind);
      expect(describeStrategy(name).length).toBeGreaterThan(20);
    }
    expect(strategyModelKind('ae-auto')).toBe('bt-laplace');
    expect(strategyCompatibleModelKinds('ae-auto')).toEqual([
      'borda-gp',
      'low-rank-borda',
      'linear-bt',
      'bt-laplace',
      'preferential-gp',
    ]);
    expect(strategyModelKind('ae-borda')).toBe('borda-gp');
    expect(strategyModelKind('apo')).toBe('linear-bt');
    expect(strategyModelKind('ae-neural')).toBe('neural-bt');
    expect(createStrategy('uniform', { modelKind: 'neural-bt' }).modelKind).toBe('neural-bt');
  });

  it('names ae-auto the default strategy, listed first', () => {
    expect(DEFAULT_STRATEGY).toBe('ae-auto');
    expect(STRATEGY_NAMES[0]).toBe(DEFAULT_STRATEGY);
    expect(describeStrategy(DEFAULT_STRATEGY)).toMatch(/default/);
  });

  it('rejects unknown names, listing the valid ones', () => {
    expect(() => createStrategy('ae-bordaa' as StrategyName)).toThrow(
      "unknown strategy 'ae-bordaa'; valid names: ae-auto, ae-borda, uniform, uniform-borda, apo, maxinp, dts, bald, ae-neural",
    );
    expect(() => describeStrategy('x' as StrategyName)).toThrow(/valid names/);
  });

  it('rejects invalid options naming the field', () => {
    expect(() => createStrategy('ae-borda', { beta: -1 })).toThrow(
      'ae-borda: option beta must be a finite number ≥ 0, got -1',
    );
    expect(() => createStrategy('bald', { posteriorSamples: 1 })).toThrow(/posteriorSamples must be an integer ≥ 2/);
    expect(() => createStrategy('ae-neural', { poolFactor: 0.5 })).toThrow(/poolFactor must be a finite number ≥ 1/);
    expect(() => createStrategy('ae-borda', { modelKind: 'linear-bt' })).toThrow(
      /modelKind must be one of borda-gp, low-rank-borda/,
    );
    expect(() => createStrategy('ae-auto', { modelKind: 'neural-bt' })).toThrow(
      'ae-auto: option modelKind must be one of borda-gp, low-rank-borda, linear-bt, bt-laplace, preferential-gp, got neural-bt',
    );
    expect(() => createStrategy('ae-auto', { rival: 'best' as 'uniform' })).toThrow(
      'ae-auto: option rival must be one of informative, uniform, got best',
    );
  });

  it('every strategy returns valid queries and is reproducible under a seed', () => {
    const n = candidates.features.rows;
    for (const name of STRATEGY_NAMES) {
      const strategy = createStrategy(name, { posteriorSamples: 8 });
      const model = modelFor(name, n);
      const run = (seed: number) => strategy.select({ candidates, model, batchSize: 4, rng: new Rng(seed) });
      const queries = run(1);
      expect(queries.length, name).toBeGreaterThan(0);
      expect(queries.length, name).toBeLessThanOrEqual(4);
      for (const q of queries) {
        const m = candidates.offsets[q.prompt + 1] - candidates.offsets[q.prompt];
        expect(m, name).toBeGreaterThanOrEqual(2);
        expect(q.first).toBeGreaterThanOrEqual(0);
        expect(q.first).toBeLessThan(m);
        expect(q.second).toBeGreaterThanOrEqual(0);
        expect(q.second).toBeLessThan(m);
        expect(q.first, name).not.toBe(q.second);
        expect(Number.isFinite(q.score), name).toBe(true);
      }
      expect(run(1), name).toEqual(queries);
      // Every strategy draws something (prompts, a comparator or a pair order) from the Rng, except
      // ae-auto's informative rival, which draws only to break exact ties.
      if (name === 'ae-auto') continue;
      const others = [2, 3, 4, 5, 6].map((seed) => JSON.stringify(run(seed)));
      expect(
        others.some((o) => o !== JSON.stringify(queries)),
        name,
      ).toBe(true);
    }
  });

  it('ae-borda asks a full batch of hallucinated queries on a hallucinating model', () => {
    const model = new BayesLinearModel(3, [0, 0.5, -0.5], 0.25, [], 'borda-gp');
    const queries = createStrategy('ae-borda').select({ candidates, model, batchSize: 10, rng: new Rng(1) });
    expect(queries).toHaveLength(10);
    expect(model.sessions).toBe(1);
  });
});

describe('bad input', () => {
  const borda = new FixedPosteriorModel({ mean: Array(24).fill(0), std: Array(24).fill(1) }, 'borda-gp', 3);

  it('batch < 1 or fractional', () => {
    for (const batchSize of [0, -1, 1.5, NaN]) {
      expect(() => createStrategy('uniform').select({ candidates, model: borda, batchSize, rng: new Rng(1) })).toThrow(
        `uniform: batchSize must be an integer ≥ 1, got ${batchSize}`,
      );
    }
  });

  it('a strategy on a model of the wrong kind', () => {
    const linear = new FixedLinearModel(
      { mean: [], std: [] },
      [
        [1, 0],
        [0, 1],
      ],
      3,
    );
    expect(() =>
      createStrategy('ae-borda').select({ candidates, model: linear, batchSize: 1, rng: new Rng(1) }),
    ).toThrow("ae-borda is defined on model kinds borda-gp, low-rank-borda; got a 'linear-bt' model");
    for (const name of ['apo', 'maxinp'] as const) {
      expect(() => createStrategy(name).select({ candidates, model: borda, batchSize: 1, rng: new Rng(1) })).toThrow(
        `${name} is defined on model kinds linear-bt; got a 'borda-gp' model`,
      );
    }
    expect(() =>
      createStrategy('ae-neural').select({ candidates, model: borda, batchSize: 1, rng: new Rng(1) }),
    ).toThrow(/ae-neural is defined on model kinds linear-bt, neural-bt/);
  });

  it('a model of another feature width, and candidates where no pair can be asked', () => {
    const narrow = new FixedPosteriorModel({ mean: [], std: [] }, 'borda-gp', 2);
    expect(() =>
      createStrategy('uniform-borda').select({ candidates, model: narrow, batchSize: 1, rng: new Rng(1) }),
    ).toThrow('uniform-borda: the model takes 2 feature columns but candidates.features has 3');
    const singles = idCandidates([1, 1, 0]);
    const m = new FixedPosteriorModel({ mean: [0, 0], std: [1, 1] });
    expect(() =>
      createStrategy('ae-borda').select({ candidates: singles, model: m, batchSize: 1, rng: new Rng(1) }),
    ).toThrow('ae-borda: no prompt has at least two responses, so no pair can be asked');
  });

  it('a malformed candidate set', () => {
    const features = { rows: 4, cols: 1, data: Float64Array.from([0, 1, 2, 3]) };
    const bad = (offsets: number[], data = features.data): CandidateSet => ({
      features: { ...features, data },
      offsets: Int32Array.from(offsets),
    });
    expect(() => validateCandidateSet(bad([1, 2, 4]))).toThrow('candidates.offsets[0] must be 0, got 1');
    expect(() => validateCandidateSet(bad([0, 3, 2, 4]))).toThrow(
      'candidates.offsets: prompt 1 ends at row 2 before it starts at row 3 (offsets must be non-decreasing)',
    );
    expect(() => validateCandidateSet(bad([0, 2, 3]))).toThrow(/offsets\[2\] is 3 but features has 4 rows/);
    expect(() => validateCandidateSet(bad([0, 5, 4]))).toThrow(
      'candidates.offsets: prompt 0 ends at row 5 but features has only 4 rows',
    );
    expect(() => validateCandidateSet(bad([0, 2, 4], Float64Array.from([0, 1, 2, NaN])))).toThrow(
      'candidates.features: prompt 1, response 1 (row 3), column 0 is NaN, not a finite number',
    );
    expect(() =>
      validateCandidateSet({
        features: { rows: 2, cols: 2, data: new Float64Array(3) },
        offsets: Int32Array.from([0, 2]),
      }),
    ).toThrow(/has 3 values, expected rows × cols = 4/);
    expect(() =>
      createStrategy('uniform').select({ candidates: bad([0, 3, 2, 4]), model: borda, batchSize: 1, rng: new Rng(1) }),
    ).toThrow(/non-decreasing/);
  });
});

describe('candidate sets', () => {
  it('builds from rows or matrices, maps rows to prompts, and slices', () => {
    const set = candidateSetFromRows([
      [
        [1, 2],
        [3, 4],
      ],
      [],
      [[5, 6]],
      [
        [7, 8],
        [9, 10],
        [11, 12],
      ],
    ]);
    expect(Array.from(set.offsets)).toEqual([0, 2, 2, 3, 6]);
    expect([0, 1, 2, 3, 4, 5].map((r) => promptOfRow(set, r))).toEqual([0, 0, 2, 3, 3, 3]);
    expect(() => promptOfRow(set, 6)).toThrow(/row 6 is outside/);
    expect(Array.from(selectablePrompts(set))).toEqual([0, 3]);
    const sub = candidateSubset(set, [3, 0]);
    expect(Array.from(sub.offsets)).toEqual([0, 3, 5]);
    expect(Array.from(sub.features.data)).toEqual([7, 8, 9, 10, 11, 12, 1, 2, 3, 4]);
    const fromMatrices = candidateSetFromMatrices([
      { rows: 2, cols: 2, data: Float64Array.from([1, 2, 3, 4]) },
      { rows: 0, cols: 2, data: new Float64Array(0) },
      { rows: 1, cols: 2, data: Float64Array.from([5, 6]) },
    ]);
    expect(Array.from(fromMatrices.offsets)).toEqual([0, 2, 2, 3]);
    expect(() => candidateSetFromRows([[[1, 2]], [[1]]])).toThrow(
      'prompt 1, response 0 has 1 feature values, expected 2',
    );
    expect(() => candidateSetFromRows([[[1, NaN]]])).toThrow(
      'prompt 0, response 0, column 1 is NaN, not a finite number',
    );
  });
});

describe('validateCandidateSet finiteness scan', () => {
  it('scans each feature buffer once, and still refuses every new buffer holding a NaN', () => {
    const offsets = Int32Array.from([0, 2, 4]);
    const data = Float64Array.from([0, 1, 2, 3]);
    validateCandidateSet({ features: { rows: 4, cols: 1, data }, offsets });
    // Matrices are immutable once handed over (the models' caches assume it too): the remembered
    // buffer is not read again, which is what keeps the 10⁸-value scan off every select.
    data[3] = NaN;
    expect(() => validateCandidateSet({ features: { rows: 4, cols: 1, data }, offsets })).not.toThrow();
    const fresh = Float64Array.from([0, 1, 2, NaN]);
    expect(() => validateCandidateSet({ features: { rows: 4, cols: 1, data: fresh }, offsets })).toThrow(
      'candidates.features: prompt 1, response 1 (row 3), column 0 is NaN, not a finite number',
    );
    // The layout is checked on every call, remembered buffer or not.
    expect(() =>
      validateCandidateSet({ features: { rows: 4, cols: 1, data }, offsets: Int32Array.from([0, 5, 4]) }),
    ).toThrow('candidates.offsets: prompt 0 ends at row 5 but features has only 4 rows');
  });
});
