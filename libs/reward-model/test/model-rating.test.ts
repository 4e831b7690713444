import { describe, expect, it } from 'vitest';
import { Rng, sigmoid } from '@borda/numeric';
import { type PairOutcomeCount, fitBradleyTerryRatings } from '@borda/reward-model';

/** Zermelo/Hunter (2004) minorise–maximise iteration for the maximum-likelihood strengths, written for the test. */
function hunterMm(items: number, pairs: readonly PairOutcomeCount[], sweeps = 20000): number[] {
  let gamma = Array.from({ length: items }, () => 1);
  for (let s = 0; s < sweeps; s++) {
    gamma = gamma.map((g, i) => {
      let wins = 0;
      let denominator = 0;
      for (const p of pairs) {
        if (p.first === i) {
          wins += p.firstScore;
          denominator += p.weight / (g + gamma[p.second]);
        } else if (p.second === i) {
          wins += p.weight - p.firstScore;
          denominator += p.weight / (g + gamma[p.first]);
        }
      }
      return wins / denominator;
    });
  }
  const logs = gamma.map(Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / items;
  return logs.map((l) => l - mean);
}

describe('fitBradleyTerryRatings', () => {
  it('matches the closed form of two items (3–1): θ = ±½ ln 3, var θ = 1/(4·n·p(1−p))', () => {
    const fit = fitBradleyTerryRatings(2, [{ first: 0, second: 1, weight: 4, firstScore: 3 }], { ridge: 0 });
    expect(fit.converged).toBe(true);
    expect(fit.ratings[0]).toBeCloseTo(Math.log(3) / 2, 10);
    expect(fit.ratings[1]).toBeCloseTo(-Math.log(3) / 2, 10);
    // Fisher information of the difference d: n p (1 − p) = 4 · ¾ · ¼; θ₀ = d/2.
    expect(fit.covariance[0][0]).toBeCloseTo(1 / 3, 10);
    expect(fit.covariance[0][1]).toBeCloseTo(-1 / 3, 10);
    expect(fit.lower[0]).toBeCloseTo(Math.log(3) / 2 - 1.959963984540054 * Math.sqrt(1 / 3), 8);
  });

  it('recovers strengths 4 : 2 : 1 exactly from counts that equal their expectations', () => {
    // P(0 > 1) = 4/6, P(0 > 2) = 4/5, P(1 > 2) = 2/3, 15 judgments each: the MLE solves Σ n p = wins exactly.
    const pairs: PairOutcomeCount[] = [
      { first: 0, second: 1, weight: 15, firstScore: 10 },
      { first: 0, second: 2, weight: 15, firstScore: 12 },
      { first: 1, second: 2, weight: 15, firstScore: 10 },
    ];
    const fit = fitBradleyTerryRatings(3, pairs, { ridge: 0 });
    const truth = [Math.log(4), Math.log(2), 0];
    const mean = truth.reduce((a, b) => a + b, 0) / 3;
    fit.ratings.forEach((r, i) => expect(r).toBeCloseTo(truth[i] - mean, 9));
  });

  it('agrees with Hunter’s MM algorithm on random data, with ties and fractional weights', () => {
    const rng = new Rng(7);
    const items = 5;
    const strengths = [1.2, 0.4, 0, -0.5, -1.1];
    const pairs: PairOutcomeCount[] = [];
    for (let i = 0; i < items; i++) {
      for (let j = i + 1; j < items; j++) {
        const n = 5 + Math.floor(rng.next() * 20);
        let score = 0;
        for (let k = 0; k < n; k++) {
          const u = rng.next();
          const p = sigmoid(strengths[i] - strengths[j]);
          score += u < 0.1 ? 0.5 : u < 0.1 + 0.9 * p ? 1 : 0;
        }
        pairs.push({ first: i, second: j, weight: n * 0.7, firstScore: score * 0.7 });
      }
    }
    const fit = fitBradleyTerryRatings(items, pairs, { ridge: 0 });
    const mm = hunterMm(items, pairs);
    fit.ratings.forEach((r, i) => expect(r).toBeCloseTo(mm[i], 6));
  });

  it('centres the ratings, gives symmetric data equal ratings, and keeps an unbeaten item finite', () => {
    const symmetric = fitBradleyTerryRatings(3, [
      { first: 0, second: 1, weight: 10, firstScore: 5 },
      { first: 1, second: 2, weight: 10, firstScore: 5 },
      { first: 2, second: 0, weight: 10, firstScore: 5 },
    ]);
    symmetric.ratings.forEach((r) => expect(r).toBeCloseTo(0, 10));
    const skewed = fitBradleyTerryRatings(3, [
      { first: 0, second: 1, weight: 6, firstScore: 6 },
      { first: 1, second: 2, weight: 6, firstScore: 4 },
    ]);
    expect(skewed.ratings.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 10);
    expect(Number.isFinite(skewed.ratings[0])).toBe(true);
    expect(skewed.ratings[0]).toBeGreaterThan(skewed.ratings[1]);
    expect(skewed.ratings[1]).toBeGreaterThan(skewed.ratings[2]);
    // At the mode the gradient vanishes: Σⱼ (score − n σ(θᵢ − θⱼ)) = λ θᵢ for every item.
    const t = skewed.ratings;
    const g0 = 6 - 6 * sigmoid(t[0] - t[1]);
    expect(g0).toBeCloseTo(0.1 * t[0], 8);
  });

  it('halves the standard errors when every count is multiplied by four (maximum likelihood)', () => {
    const base: PairOutcomeCount[] = [
      { first: 0, second: 1, weight: 8, firstScore: 5 },
      { first: 1, second: 2, weight: 8, firstScore: 3 },
      { first: 0, second: 2, weight: 8, firstScore: 6.5 },
    ];
    const small = fitBradleyTerryRatings(3, base, { ridge: 0 });
    const large = fitBradleyTerryRatings(
      3,
      base.map((p) => ({ ...p, weight: p.weight * 4, firstScore: p.firstScore * 4 })),
      { ridge: 0 },
    );
    small.ratings.forEach((r, i) => expect(large.ratings[i]).toBeCloseTo(r, 9));
    small.standardErrors.forEach((s, i) => expect(large.standardErrors[i]).toBeCloseTo(s / 2, 9));
  });

  it('refuses pairs that name unknown items or score more than their weight', () => {
    expect(() => fitBradleyTerryRatings(2, [{ first: 0, second: 2, weight: 1, firstScore: 1 }])).toThrow(RangeError);
    expect(() => fitBradleyTerryRatings(2, [{ first: 0, second: 1, weight: 1, firstScore: 2 }])).toThrow(RangeError);
    expect(fitBradleyTerryRatings(0, []).ratings).toEqual([]);
  });
});
