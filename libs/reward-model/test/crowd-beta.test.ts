import { describe, expect, it } from 'vitest';
import { betaCdf, betaQuantile, logGamma, wilsonInterval } from '../src/crowd/beta-distribution';
import {
  accuracyExcludingPosition,
  behaviourShares,
  confusionIntervals,
  confusionMode,
  positionBias,
} from '../src/crowd/labeler-confusion';

describe('Beta distribution helpers', () => {
  it('logGamma matches factorials and Γ(½) = √π', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(10.5)).toBeCloseTo(13.940625219403763, 11);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 11);
  });

  it('betaCdf matches closed forms', () => {
    for (const x of [0.01, 0.2, 0.5, 0.77, 0.99]) {
      expect(betaCdf(x, 2, 2)).toBeCloseTo(3 * x * x - 2 * x ** 3, 12); // Beta(2, 2)
      expect(betaCdf(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 12); // Beta(a, 1): x^a
      expect(betaCdf(x, 1, 4)).toBeCloseTo(1 - (1 - x) ** 4, 12); // Beta(1, b)
      expect(betaCdf(x, 7, 3) + betaCdf(1 - x, 3, 7)).toBeCloseTo(1, 12); // symmetry
    }
    expect(betaCdf(0, 2, 3)).toBe(0);
    expect(betaCdf(1, 2, 3)).toBe(1);
  });

  it('betaQuantile inverts the CDF, also for large and very unequal shapes', () => {
    for (const [a, b] of [
      [0.5, 0.5],
      [2, 5],
      [40, 3],
      [900, 1100],
      [1.2, 300],
    ]) {
      for (const q of [0.001, 0.025, 0.5, 0.975, 0.999]) {
        const x = betaQuantile(q, a, b);
        expect(betaCdf(x, a, b)).toBeCloseTo(q, 10);
      }
    }
    expect(betaQuantile(0.5, 3, 3)).toBeCloseTo(0.5, 12);
  });

  it('wilsonInterval matches a reference value and handles 0/n and n/n', () => {
    // 8 of 10: Wilson 95 % interval [0.4902, 0.9433] (standard tables).
    const w = wilsonInterval(8, 10);
    expect(w.low).toBeCloseTo(0.4902, 4);
    expect(w.high).toBeCloseTo(0.9433, 4);
    expect(wilsonInterval(0, 20).low).toBe(0);
    expect(wilsonInterval(0, 20).high).toBeGreaterThan(0.1);
    expect(wilsonInterval(20, 20).high).toBe(1);
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});

describe('labeler confusion', () => {
  it('the planted behaviours sit at the corners of the confusion square', () => {
    const honest = behaviourShares({ a: 0.88, b: 0.12 });
    expect(honest.honest).toBeCloseTo(0.76, 12);
    expect(honest.random).toBeCloseTo(0.24, 12);
    expect(accuracyExcludingPosition({ a: 0.88, b: 0.12 })).toBeCloseTo(0.88, 12);
    expect(behaviourShares({ a: 0.12, b: 0.88 }).inverted).toBeCloseTo(0.76, 12);
    expect(behaviourShares({ a: 0.5, b: 0.5 }).random).toBe(1);
    expect(behaviourShares({ a: 1, b: 1 }).alwaysLeft).toBe(1);
    expect(positionBias({ a: 1, b: 1 })).toBe(0.5);
    // 60 % always-left, 40 % honest at 0.9: position is excluded from the accuracy.
    const mixed = { a: 0.6 + 0.4 * 0.9, b: 0.6 + 0.4 * 0.1 };
    expect(accuracyExcludingPosition(mixed)).toBeCloseTo(0.9, 12);
    expect(positionBias(mixed)).toBeCloseTo(0.3, 12);
  });

  it('shares are non-negative and sum to one over the whole square', () => {
    for (let i = 0; i <= 20; i++) {
      for (let j = 0; j <= 20; j++) {
        const s = behaviourShares({ a: i / 20, b: j / 20 });
        const values = [s.honest, s.inverted, s.random, s.alwaysLeft, s.alwaysRight];
        for (const v of values) expect(v).toBeGreaterThanOrEqual(-1e-15);
        expect(values.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
      }
    }
  });

  it('the M-step is the Beta posterior mode and stays at the prior without data', () => {
    const prior = { priorAccuracy: 0.8, priorStrength: 4 };
    const empty = { leftBetter: 0, saidLeftWhenLeftBetter: 0, rightBetter: 0, saidLeftWhenRightBetter: 0 };
    expect(confusionMode(empty, prior)).toEqual({ a: expect.closeTo(0.8, 12), b: expect.closeTo(0.2, 12) });
    const counts = { leftBetter: 10, saidLeftWhenLeftBetter: 3, rightBetter: 6, saidLeftWhenRightBetter: 5 };
    const mode = confusionMode(counts, prior);
    expect(mode.a).toBeCloseTo((3.2 + 3) / (4 + 10), 12);
    expect(mode.b).toBeCloseTo((0.8 + 5) / (4 + 6), 12);
  });

  it('intervals contain the estimate for the marginals and shrink with data', () => {
    const prior = { priorAccuracy: 0.8, priorStrength: 4 };
    const small = confusionIntervals(
      { leftBetter: 10, saidLeftWhenLeftBetter: 9, rightBetter: 10, saidLeftWhenRightBetter: 1 },
      prior,
    );
    const large = confusionIntervals(
      { leftBetter: 200, saidLeftWhenLeftBetter: 180, rightBetter: 200, saidLeftWhenRightBetter: 20 },
      prior,
    );
    for (const s of [small, large]) {
      for (const e of [s.a, s.b, s.accuracy, s.positionBias]) {
        expect(e.low).toBeLessThanOrEqual(e.estimate + 1e-12);
        expect(e.high).toBeGreaterThanOrEqual(e.estimate - 1e-12);
      }
    }
    expect(large.accuracy.high - large.accuracy.low).toBeLessThan(0.5 * (small.accuracy.high - small.accuracy.low));
    expect(large.accuracy.estimate).toBeCloseTo(0.9, 1);
  });
});
