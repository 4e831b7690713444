import { describe, expect, it } from 'vitest';
import {
  type Environment,
  type SimulationResult,
  aggregateCurves,
  curveArea,
  defaultEpsilon,
  labelEfficiencyRatio,
  labelsToEpsilon,
  suboptimality,
  summariseRuns,
} from '@borda/simulator';

const env: Environment = {
  name: 'hand',
  offsets: new Int32Array([0, 3, 5]),
  features: { rows: 5, cols: 1, data: new Float64Array([0, 1, 2, 3, 4]) },
  reward: new Float64Array([1, 3, 2, -1, 0.5]),
};

describe('suboptimality', () => {
  it('is the worst and the average gap to each prompt’s best response', () => {
    expect(suboptimality(env, [1, 1])).toEqual({ max: 0, mean: 0 });
    expect(suboptimality(env, [0, 1])).toEqual({ max: 2, mean: 1 });
    const s = suboptimality(env, [2, 0]);
    expect(s.max).toBe(1.5);
    expect(s.mean).toBe(1.25);
  });
  it('refuses a policy that points outside a prompt', () => {
    expect(() => suboptimality(env, [3, 0])).toThrow(/policy\[0\] = 3 is not a response of prompt 0/);
    expect(() => suboptimality(env, [0])).toThrow(/1 entries for 2 prompts/);
  });
  it('ε defaults to 5% of the reward range', () => {
    expect(defaultEpsilon(env)).toBeCloseTo(0.2, 12);
  });
});

describe('labelsToEpsilon', () => {
  const labels = [0, 10, 20, 30, 40];
  it('is the first T after which the curve stays within ε', () => {
    expect(labelsToEpsilon({ labels, subOptMax: [5, 0.1, 0.5, 0.1, 0.05] }, 0.2)).toBe(30);
    expect(labelsToEpsilon({ labels, subOptMax: [5, 0.1, 0.1, 0.1, 0.1] }, 0.2)).toBe(10);
    expect(labelsToEpsilon({ labels, subOptMax: [0, 0, 0, 0, 0] }, 0.2)).toBe(0);
    expect(labelsToEpsilon({ labels, subOptMax: [5, 0.2, 0.2, 0.2, 0.2] }, 0.2)).toBe(10); // ≤ ε counts
  });
  it('is Infinity when the last checkpoint is above ε', () => {
    expect(labelsToEpsilon({ labels, subOptMax: [5, 0.1, 0.1, 0.1, 0.3] }, 0.2)).toBe(Infinity);
  });
});

describe('labelEfficiencyRatio', () => {
  const labels = [0, 100, 200, 300, 400, 500, 600];
  it('labels to reach uniform’s final level over the budget', () => {
    const uniform = { labels, subOptMax: [6, 3, 2, 1.5, 1.2, 1.1, 1.0] };
    expect(labelEfficiencyRatio(uniform, 1.0, 600)).toBe(1);
    const active = { labels, subOptMax: [6, 2, 0.9, 0.5, 0.4, 0.3, 0.3] };
    expect(labelEfficiencyRatio(active, 1.0, 600)).toBeCloseTo(200 / 600, 12);
    const worse = { labels, subOptMax: [6, 5, 4, 3, 2, 1.5, 1.4] };
    expect(labelEfficiencyRatio(worse, 1.0, 600)).toBe(Infinity);
  });
});

describe('curveArea', () => {
  it('is the trapezoidal mean of SubOpt_max over the label span', () => {
    expect(curveArea({ labels: [0, 10, 30], subOptMax: [4, 2, 0] })).toBeCloseTo((30 + 20) / 30, 12);
    // Adding a checkpoint on a straight segment changes nothing.
    expect(curveArea({ labels: [0, 10, 20, 30], subOptMax: [4, 2, 1, 0] })).toBeCloseTo(50 / 30, 12);
  });
});

describe('aggregateCurves', () => {
  it('gives the mean and the t-based 95% half-width per checkpoint', () => {
    const a = aggregateCurves([
      { labels: [0, 10], subOptMax: [1, 2], subOptMean: [0, 1] },
      { labels: [0, 10], subOptMax: [3, 2], subOptMean: [0, 3] },
    ]);
    expect(a.subOptMax.mean).toEqual([2, 2]);
    // sd of {1, 3} is √2; t(1 d.o.f.) = 12.706; half-width = 12.706·√2/√2
    expect(a.subOptMax.halfWidth[0]).toBeCloseTo(12.706, 3);
    expect(a.subOptMax.halfWidth[1]).toBe(0);
    expect(a.subOptMean.mean).toEqual([0, 2]);
    expect(a.seeds).toBe(2);
  });
  it('refuses curves on different checkpoints', () => {
    expect(() =>
      aggregateCurves([
        { labels: [0, 10], subOptMax: [1, 2], subOptMean: [0, 1] },
        { labels: [0, 16], subOptMax: [1, 2], subOptMean: [0, 1] },
      ]),
    ).toThrow(/curve 1 has different checkpoints/);
  });
});

describe('summariseRuns', () => {
  const run = (strategy: string, seed: number, subOptMax: number[]): SimulationResult => ({
    strategy,
    seed,
    budget: 20,
    batchSize: 1,
    modelKind: 'borda-gp',
    model: { kind: 'borda-gp', lengthscale: 0.5 },
    curve: { labels: [0, 10, 20], subOptMax, subOptMean: subOptMax.map((v) => v / 2) },
    finalPolicy: [],
    wallTimeMs: 5,
  });
  it('summarises per strategy with labels-to-ε and the ratio against uniform', () => {
    const s = summariseRuns(
      [
        run('uniform', 1, [4, 2, 1]),
        run('uniform', 2, [4, 2, 1]),
        run('ae-borda', 1, [4, 0.5, 0.1]),
        run('ae-borda', 2, [4, 1, 0.1]),
      ],
      0.6,
      20,
    );
    expect(s.map((x) => x.strategy)).toEqual(['uniform', 'ae-borda']);
    expect(s[0].labelEfficiencyRatio).toBe(1);
    expect(s[1].labelEfficiencyRatio).toBeCloseTo(0.5, 12); // mean curve [4, 0.75, 0.1] is ≤ 1 from 10 labels
    expect(s[0].labelsToEpsilon).toEqual({ perSeed: [null, null], meanCurve: null, reached: 0 });
    expect(s[1].labelsToEpsilon).toEqual({ perSeed: [10, 20], meanCurve: 20, reached: 2 });
    expect(s[1].final.subOptMax).toEqual({ mean: 0.1, halfWidth: 0 });
    expect(s[0].area).toEqual({ mean: 2.25, halfWidth: 0 });
    expect(s[1].wallTimeMs).toEqual({ mean: 5, total: 10 });
  });
});
