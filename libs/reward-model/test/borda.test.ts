import { describe, expect, it } from 'vitest';
import { Rng, sigmoid } from '@borda/numeric';
import { bordaScores } from '@borda/reward-model';

describe('bordaScores', () => {
  it('matches the closed form for two responses: (σ(Δ) + ½) / 2', () => {
    const f = bordaScores([1.5, 0.25], [0, 2]);
    expect(f[0]).toBeCloseTo((sigmoid(1.25) + 0.5) / 2, 14);
    expect(f[1]).toBeCloseTo((sigmoid(-1.25) + 0.5) / 2, 14);
    // Two responses' scores sum to 1: each duel is won by exactly one side.
    expect(f[0] + f[1]).toBeCloseTo(1, 14);
  });

  it('is monotone in the reward within each prompt, so its argmax is the best response', () => {
    const rng = new Rng(3);
    const offsets = [0, 5, 12, 20];
    const rewards = Array.from({ length: 20 }, () => 3 * rng.normal());
    const f = bordaScores(rewards, offsets);
    for (let p = 0; p < 3; p++) {
      for (let a = offsets[p]; a < offsets[p + 1]; a++) {
        for (let b = offsets[p]; b < offsets[p + 1]; b++) {
          if (rewards[a] > rewards[b]) expect(f[a]).toBeGreaterThan(f[b]);
        }
      }
    }
  });

  it('is invariant to shifting all rewards of a prompt and stays in (0, 1) with mean ½', () => {
    const rewards = [0.3, -1, 2.2, 0.9];
    const shifted = rewards.map((r) => r + 17);
    const f = bordaScores(rewards, [0, 4]);
    const g = bordaScores(shifted, [0, 4]);
    for (let i = 0; i < 4; i++) expect(g[i]).toBeCloseTo(f[i], 12);
    expect(f.reduce((s, v) => s + v, 0) / 4).toBeCloseTo(0.5, 12);
    for (const v of f) expect(v > 0 && v < 1).toBe(true);
  });

  it('is the mean of Bradley–Terry outcomes against a uniformly random competitor (Monte Carlo)', () => {
    const rewards = [1, -0.5, 0.2];
    const f = bordaScores(rewards, [0, 3]);
    const rng = new Rng(9);
    const n = 60000;
    let wins = 0;
    for (let t = 0; t < n; t++) wins += rng.bernoulli(sigmoid(rewards[0] - rewards[rng.int(3)]));
    // Bernoulli std ≤ ½/√n ≈ 0.002: 4σ tolerance.
    expect(Math.abs(wins / n - f[0])).toBeLessThan(0.009);
  });

  it('names a non-finite reward', () => {
    expect(() => bordaScores([0, NaN], [0, 2])).toThrow(/row 1 is NaN/);
  });
});
