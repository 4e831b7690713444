import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve, zeros } from '@borda/numeric';
import {
  ENVIRONMENT_NAMES,
  type Environment,
  MIXED_EPSILON_FRACTION,
  ackley,
  branin,
  createEnvironment,
  gpSampleEnvironment,
  gridEnvironment,
  GRID_FUNCTIONS,
  hartmann3,
  linearEnvironment,
  mixedEnvironment,
  rewardRange,
  rosenbrock,
  validateEnvironment,
} from '@borda/simulator';

function rewardsOf(env: Environment, p: number): number[] {
  return Array.from(env.reward.subarray(env.offsets[p], env.offsets[p + 1]));
}

function topGap(env: Environment, p: number): number {
  const r = rewardsOf(env, p).sort((a, b) => b - a);
  return r[0] - r[1];
}

describe('test functions', () => {
  it('match their published minima', () => {
    for (const [x1, x2] of [
      [Math.PI, 2.275],
      [-Math.PI, 12.275],
      [9.42478, 2.475],
    ]) {
      expect(branin(x1, x2)).toBeCloseTo(0.397887, 5);
    }
    expect(ackley(0, 0)).toBeCloseTo(0, 12);
    expect(ackley(1, 1)).toBeCloseTo(3.6253849, 6);
    expect(rosenbrock(1, 1)).toBe(0);
    expect(rosenbrock(0, 0)).toBe(1);
    expect(hartmann3(0.114614, 0.555649, 0.852547)).toBeCloseTo(-3.86278, 4);
  });

  it('are minima: nearby points are higher', () => {
    for (const [dx, dy] of [
      [0.01, 0],
      [0, 0.01],
      [-0.01, 0],
      [0, -0.01],
    ]) {
      expect(branin(Math.PI + dx, 2.275 + dy)).toBeGreaterThan(0.397887);
      expect(rosenbrock(1 + dx, 1 + dy)).toBeGreaterThan(0);
      expect(hartmann3(0.114614 + dx, 0.555649 + dy, 0.852547)).toBeGreaterThan(-3.86278);
    }
  });
});

describe('built-in environments', () => {
  it.each(ENVIRONMENT_NAMES)('%s has a valid CandidateSet layout and finite rewards', (name) => {
    const env = createEnvironment(name, { gridSize: 10 });
    expect(() => validateEnvironment(env)).not.toThrow();
    expect(env.name).toBe(name);
    expect(env.offsets[0]).toBe(0);
    expect(env.offsets[env.offsets.length - 1]).toBe(env.features.rows);
    expect(env.reward.length).toBe(env.features.rows);
    // The LLM environments give no hint: like a real campaign, models use the median distance.
    if (name.startsWith('llm-')) expect(env.lengthscale).toBeUndefined();
    else expect(env.lengthscale).toBeGreaterThan(0);
  });

  it.each(['branin', 'ackley', 'rosenbrock', 'hartmann', 'linear', 'gp-sample', 'mixed'])(
    '%s rewards span exactly [−3, 3]',
    (name) => {
      const env = createEnvironment(name, { gridSize: 12 });
      expect(Math.min(...env.reward)).toBeCloseTo(-3, 12);
      expect(Math.max(...env.reward)).toBeCloseTo(3, 12);
      expect(rewardRange(env)).toBeCloseTo(6, 12);
    },
  );

  it.each(Object.keys(GRID_FUNCTIONS))(
    '%s is a gridSize² grid with unit-square features and reward −f rescaled',
    (name) => {
      const n = 13;
      const spec = GRID_FUNCTIONS[name];
      const env = gridEnvironment(spec, { gridSize: n });
      expect(env.offsets.length).toBe(n + 1);
      expect(env.features.rows).toBe(n * n);
      expect(env.features.cols).toBe(2);
      // Arm (i, j): features (i/(n−1), j/(n−1)); reward decreasing in f (an affine map with negative slope).
      const f = (i: number, j: number) =>
        spec.fn(
          spec.context[0] + ((spec.context[1] - spec.context[0]) * i) / (n - 1),
          spec.action[0] + ((spec.action[1] - spec.action[0]) * j) / (n - 1),
        );
      const k = 5 * n + 7;
      expect(env.features.data[2 * k]).toBeCloseTo(5 / (n - 1), 12);
      expect(env.features.data[2 * k + 1]).toBeCloseTo(7 / (n - 1), 12);
      const slope = (env.reward[k] - env.reward[0]) / (f(5, 7) - f(0, 0));
      expect(slope).toBeLessThan(0);
      expect((env.reward[3 * n + 2] - env.reward[0]) / (f(3, 2) - f(0, 0))).toBeCloseTo(slope, 9);
    },
  );

  it('Branin: the best grid arm of the context nearest π sits at the action nearest 2.275', () => {
    const n = 31; // context step 0.5, action step 0.5: x1 = 3 is nearest π, x2 = 2.5 nearest 2.275
    const env = createEnvironment('branin', { gridSize: n });
    const p = Math.round(((3 - -5) / 15) * (n - 1));
    const r = rewardsOf(env, p);
    expect(r.indexOf(Math.max(...r))).toBe(Math.round((2.5 / 15) * (n - 1)));
  });

  it('the default grid is 20 × 20', () => {
    const env = createEnvironment('hartmann');
    expect(env.offsets.length - 1).toBe(20);
    expect(env.features.rows).toBe(400);
  });

  it('is deterministic under a seed and varies across seeds', () => {
    for (const make of [
      (seed: number) => linearEnvironment({ seed }),
      (seed: number) => gpSampleEnvironment({ seed, gridSize: 10 }),
      (seed: number) => mixedEnvironment({ seed }),
    ]) {
      const a = make(3);
      const b = make(3);
      const c = make(4);
      expect(Array.from(a.reward)).toEqual(Array.from(b.reward));
      expect(Array.from(a.features.data)).toEqual(Array.from(b.features.data));
      expect(Array.from(a.reward)).not.toEqual(Array.from(c.reward));
    }
  });

  it('linear: unit feature vectors and a reward exactly affine in them', () => {
    const env = linearEnvironment({ prompts: 10, responses: 5, dimension: 4, seed: 2 });
    const { rows, cols, data } = env.features;
    expect(rows).toBe(50);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let k = 0; k < cols; k++) s += data[i * cols + k] ** 2;
      expect(s).toBeCloseTo(1, 12);
    }
    // Least squares of the reward on [φ, 1] leaves no residual.
    const d = cols + 1;
    const ata = zeros(d, d);
    const aty = new Float64Array(d);
    const x = (i: number, k: number) => (k < cols ? data[i * cols + k] : 1);
    for (let i = 0; i < rows; i++) {
      for (let a = 0; a < d; a++) {
        aty[a] += x(i, a) * env.reward[i];
        for (let b = 0; b < d; b++) ata.data[a * d + b] += x(i, a) * x(i, b);
      }
    }
    const w = choleskySolve(cholesky(ata), aty);
    for (let i = 0; i < rows; i++) {
      let fit = 0;
      for (let a = 0; a < d; a++) fit += w[a] * x(i, a);
      expect(fit).toBeCloseTo(env.reward[i], 9);
    }
  });

  it('gp-sample: neighbouring grid points are strongly correlated (a smooth draw)', () => {
    const n = 15;
    const env = gpSampleEnvironment({ gridSize: n, lengthscale: 0.3, seed: 5 });
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j + 1 < n; j++) {
        a.push(env.reward[i * n + j]);
        b.push(env.reward[i * n + j + 1]);
      }
    }
    const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
    const ma = mean(a);
    const mb = mean(b);
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let k = 0; k < a.length; k++) {
      sab += (a[k] - ma) * (b[k] - mb);
      saa += (a[k] - ma) ** 2;
      sbb += (b[k] - mb) ** 2;
    }
    expect(sab / Math.sqrt(saa * sbb)).toBeGreaterThan(0.9);
  });

  it('mixed: the documented number of near-tie prompts, their gaps in (ε, 2ε], the rest ≥ 4ε', () => {
    for (const [seed, nearTies] of [
      [1, 4],
      [7, 6],
    ]) {
      const env = mixedEnvironment({ seed, prompts: 20, nearTies });
      const epsilon = MIXED_EPSILON_FRACTION * rewardRange(env);
      expect(epsilon).toBeCloseTo(0.3, 12);
      expect(env.nearTiePrompts).toHaveLength(nearTies);
      for (let p = 0; p < 20; p++) {
        const gap = topGap(env, p);
        if (env.nearTiePrompts.includes(p)) {
          expect(gap).toBeGreaterThan(1.25 * epsilon);
          expect(gap).toBeLessThanOrEqual(2.05 * epsilon);
        } else {
          expect(gap).toBeGreaterThanOrEqual(4 * epsilon);
        }
      }
    }
  });

  it('mixed: the reward is the documented smooth ridge in the features', () => {
    const env = mixedEnvironment({ seed: 2 });
    const raw = (k: number) =>
      -3 + 6 * Math.exp(-((env.features.data[2 * k + 1] - env.features.data[2 * k]) ** 2) / (2 * 0.15 ** 2));
    // The rescale is affine: rewards are a fixed affine function of the ridge.
    const s = (env.reward[1] - env.reward[0]) / (raw(1) - raw(0));
    for (let k = 2; k < env.features.rows; k += 7) {
      expect((env.reward[k] - env.reward[0]) / (raw(k) - raw(0))).toBeCloseTo(s, 6);
    }
  });

  it('refuses bad options naming the field', () => {
    expect(() => createEnvironment('branin', { gridSize: 1 })).toThrow(
      /gridSize must be an integer in \[2, 200\], got 1/,
    );
    expect(() => mixedEnvironment({ prompts: 5, nearTies: 6 })).toThrow(/nearTies/);
    expect(() => createEnvironment('nope')).toThrow(/unknown environment 'nope'; valid names: branin, ackley/);
  });
});
