import { describe, expect, it } from 'vitest';
import { Rng } from '@borda/numeric';
import {
  formatCertificate,
  greedyPolicy,
  pessimisticPolicy,
  policyResponses,
  softPolicy,
  worstCaseGapCertificate,
} from '@borda/dueling-bandit';
import { FixedPosteriorModel, idCandidates } from './helpers';

// Prompt 0: means [1, 2, 0], stds [0.1, 1, 0.1] → greedy 1, pessimistic (β = 2) 0 (LCB 0.8 vs 0).
// Prompt 1: one response. Prompt 2: empty. Prompt 3: means [0.5, 0.4], stds [0.1, 0.1].
const candidates = idCandidates([3, 1, 0, 2]);
const model = new FixedPosteriorModel({
  mean: [1, 2, 0, 7, 0.5, 0.4],
  std: [0.1, 1, 0.1, 2, 0.1, 0.1],
});

describe('policies', () => {
  it('greedy = argmax mean, with bounds and margins of the pick', () => {
    const policy = greedyPolicy(model, candidates);
    expect(policyResponses(policy)).toEqual(Int32Array.from([1, 0, -1, 0]));
    const p0 = policy[0];
    expect(p0.mean).toBe(2);
    expect(p0.lcb).toBeCloseTo(0, 12);
    expect(p0.ucb).toBeCloseTo(4, 12);
    expect(p0.runnerUp).toBe(0);
    expect(p0.margin).toBeCloseTo(1, 12);
    expect(p0.lcbMargin).toBeCloseTo(0 - 1.2, 12); // LCB 0 − UCB of arm 0 (1.2)
    expect(policy[1].runnerUp).toBe(-1);
    expect(policy[1].margin).toBe(Infinity);
    expect(policy[3].lcbMargin).toBeCloseTo(0.3 - 0.6, 12);
  });

  it('pessimistic = argmax LCB', () => {
    const policy = pessimisticPolicy(model, candidates, 2);
    expect(policyResponses(policy)).toEqual(Int32Array.from([0, 0, -1, 0]));
    expect(policy[0].margin).toBeCloseTo(0.8 - 0, 12);
    // β = 0 makes it greedy.
    expect(policyResponses(pessimisticPolicy(model, candidates, 0))).toEqual(
      policyResponses(greedyPolicy(model, candidates)),
    );
  });

  it('agrees with a brute-force argmax on random posteriors', () => {
    const rng = new Rng(3);
    const c = idCandidates([4, 5, 2, 6]);
    const mean = Array.from(rng.normals(17));
    const std = Array.from(rng.normals(17), Math.abs);
    const m = new FixedPosteriorModel({ mean, std });
    const greedy = policyResponses(greedyPolicy(m, c));
    const pess = policyResponses(pessimisticPolicy(m, c, 1.5));
    for (let p = 0; p < 4; p++) {
      const rows = Array.from({ length: c.offsets[p + 1] - c.offsets[p] }, (_, k) => c.offsets[p] + k);
      const best = (f: (r: number) => number) => rows.reduce((b, r) => (f(r) > f(b) ? r : b)) - c.offsets[p];
      expect(greedy[p]).toBe(best((r) => mean[r]));
      expect(pess[p]).toBe(best((r) => mean[r] - 1.5 * std[r]));
    }
  });

  it('soft policy: closed form, sums to 1, → greedy as β → 0 and → reference as β → ∞', () => {
    const soft = softPolicy(model, candidates, { temperature: 1 });
    const z = Math.exp(1) + Math.exp(2) + Math.exp(0);
    expect(soft.probabilities[1]).toBeCloseTo(Math.exp(2) / z, 12);
    expect(soft.probabilities[3]).toBe(1);
    for (const [s, e] of [
      [0, 3],
      [4, 6],
    ]) {
      let sum = 0;
      for (let r = s; r < e; r++) sum += soft.probabilities[r];
      expect(sum).toBeCloseTo(1, 12);
    }
    expect(soft.entries[0].response).toBe(1);
    expect(soft.entries[0].probability).toBeCloseTo(Math.exp(2) / z, 12);

    const reference = [0.2, 0.3, 0.5, 1, 0.9, 0.1];
    const cold = softPolicy(model, candidates, { temperature: 1e-6, reference });
    expect(cold.probabilities[1]).toBeCloseTo(1, 12);
    expect(cold.probabilities[4]).toBeCloseTo(1, 12);
    expect(policyResponses(cold.entries)).toEqual(policyResponses(greedyPolicy(model, candidates)));
    const hot = softPolicy(model, candidates, { temperature: 1e9, reference });
    reference.forEach((r, i) => expect(hot.probabilities[i]).toBeCloseTo(r, 6));
    const infinite = softPolicy(model, candidates, { temperature: Infinity, reference: reference.map((r) => 3 * r) });
    reference.forEach((r, i) => expect(infinite.probabilities[i]).toBeCloseTo(r, 12));
    // Huge rewards / tiny temperature: no overflow.
    const big = new FixedPosteriorModel({ mean: [1e6, 1e6 + 1, 0, 0, 0, 0], std: [0, 0, 0, 0, 0, 0] });
    const stable = softPolicy(big, candidates, { temperature: 0.5 });
    expect(stable.probabilities[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
  });

  it('uses a posterior the caller already has, predicting nothing, and checks its length', () => {
    const fresh = new FixedPosteriorModel(model.posterior);
    const posterior = fresh.predict(candidates.features);
    fresh.predictCalls = 0;
    expect(greedyPolicy(fresh, candidates, { posterior })).toEqual(greedyPolicy(model, candidates));
    expect(pessimisticPolicy(fresh, candidates, 2, posterior)).toEqual(pessimisticPolicy(model, candidates, 2));
    expect(softPolicy(fresh, candidates, { temperature: 0.5, posterior })).toEqual(
      softPolicy(model, candidates, { temperature: 0.5 }),
    );
    expect(fresh.predictCalls).toBe(0);
    const short = { mean: posterior.mean.subarray(1), std: posterior.std.subarray(1) };
    expect(() => greedyPolicy(fresh, candidates, { posterior: short })).toThrow(/posterior has 5 means/);
  });

  it('soft policy rejects bad temperatures and references', () => {
    expect(() => softPolicy(model, candidates, { temperature: 0 })).toThrow(/temperature must be a number > 0/);
    expect(() => softPolicy(model, candidates, { temperature: 1, reference: [1, 1] })).toThrow(/one per arm \(6\)/);
    expect(() => softPolicy(model, candidates, { temperature: 1, reference: [1, -1, 1, 1, 1, 1] })).toThrow(
      /prompt 0, response 1 is -1/,
    );
    expect(() => softPolicy(model, candidates, { temperature: 1, reference: [0, 0, 0, 1, 1, 1] })).toThrow(
      /prompt 0 is 0 for every response/,
    );
  });
});

describe('worst-case gap certificate', () => {
  it('equals a brute-force max over prompts and lists the widest first', () => {
    const rng = new Rng(11);
    const c = idCandidates([3, 1, 4, 2, 5, 0, 3]);
    const n = c.features.rows;
    const mean = Array.from(rng.normals(n));
    const std = Array.from(rng.normals(n), Math.abs);
    const m = new FixedPosteriorModel({ mean, std });
    const beta = 1.7;
    const cert = worstCaseGapCertificate(m, c, { beta, top: 3 });
    const gaps: { p: number; gap: number }[] = [];
    for (let p = 0; p + 1 < c.offsets.length; p++) {
      const rows = Array.from({ length: c.offsets[p + 1] - c.offsets[p] }, (_, k) => c.offsets[p] + k);
      if (rows.length < 2) continue;
      const maxUcb = Math.max(...rows.map((r) => mean[r] + beta * std[r]));
      const maxLcb = Math.max(...rows.map((r) => mean[r] - beta * std[r]));
      gaps.push({ p, gap: maxUcb - maxLcb });
    }
    gaps.sort((a, b) => b.gap - a.gap);
    expect(cert.worstCaseGap).toBeCloseTo(gaps[0].gap, 12);
    expect(cert.meanGap).toBeCloseTo(gaps.reduce((s, g) => s + g.gap, 0) / gaps.length, 12);
    expect(cert.certifiedPrompts).toBe(5);
    expect(cert.prompts.map((x) => x.prompt)).toEqual(gaps.slice(0, 3).map((g) => g.p));
    const top = cert.prompts[0];
    expect(top.maxUcb - top.maxLcb).toBeCloseTo(top.gap, 12);
    expect(top.bestMean - beta * top.bestStd).toBeCloseTo(top.maxLcb, 12);
    expect(formatCertificate(cert)).toContain(`worst-case gap ${cert.worstCaseGap.toFixed(4)}`);
  });

  it('is 0 when every prompt has one response, and rejects bad options', () => {
    const c = idCandidates([1, 1]);
    const m = new FixedPosteriorModel({ mean: [0, 0], std: [1, 1] });
    expect(worstCaseGapCertificate(m, c).worstCaseGap).toBe(0);
    expect(() => worstCaseGapCertificate(m, c, { beta: -1 })).toThrow(/beta must be a finite number ≥ 0/);
    expect(() => worstCaseGapCertificate(m, c, { top: 1.5 })).toThrow(/top must be an integer/);
  });
});
