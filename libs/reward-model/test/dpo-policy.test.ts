import { describe, expect, it } from 'vitest';
import { type FeatureMatrix, Rng, sigmoid } from '@borda/numeric';
import { type DpoPair, DpoPolicy, LinearBradleyTerry, type SerializedDpoPolicy } from '@borda/reward-model';
import { gradient, initialParameters, networkLayout, objective } from '../src/dpo-training';

/** One-hot row for arm k of `arms` (tabular features: every (prompt, response) its own indicator). */
function oneHot(k: number, arms: number): Float64Array {
  const row = new Float64Array(arms);
  row[k] = 1;
  return row;
}

function identityFeatures(arms: number): FeatureMatrix {
  const data = new Float64Array(arms * arms);
  for (let k = 0; k < arms; k++) data[k * arms + k] = 1;
  return { rows: arms, cols: arms, data };
}

/** Per-prompt softmax of logits (the closed form π ∝ exp(logit)), computed independently of DpoPolicy. */
function softmaxPerPrompt(logits: ArrayLike<number>, offsets: Int32Array): Float64Array {
  const out = new Float64Array(logits.length);
  for (let p = 0; p + 1 < offsets.length; p++) {
    let max = -Infinity;
    for (let r = offsets[p]; r < offsets[p + 1]; r++) max = Math.max(max, logits[r]);
    let sum = 0;
    for (let r = offsets[p]; r < offsets[p + 1]; r++) sum += Math.exp(logits[r] - max);
    for (let r = offsets[p]; r < offsets[p + 1]; r++) out[r] = Math.exp(logits[r] - max) / sum;
  }
  return out;
}

// Two prompts with four responses each; arm index = 4·prompt + response.
const OFFSETS = Int32Array.from([0, 4, 8]);
const ARMS = 8;
const REWARD = [0.8, 0.3, -0.2, -0.9, 1.0, 0.1, 0.0, -0.6];
const REF_LOGPROBS = [-1.2, -0.7, -2.0, -1.6, -0.3, -2.5, -1.1, -1.9];

/**
 * Every within-prompt pair (a, b), a < b, judged `perEdge` times under Bradley–Terry with reward r:
 * P(a ≻ b) = σ(r(a) − r(b)). Also returns the same data as PairObservations (first = chosen).
 */
function btPairs(perEdge: number, seed: number): DpoPair[] {
  const rng = new Rng(seed);
  const pairs: DpoPair[] = [];
  for (let p = 0; p + 1 < OFFSETS.length; p++) {
    for (let a = OFFSETS[p]; a < OFFSETS[p + 1]; a++) {
      for (let b = a + 1; b < OFFSETS[p + 1]; b++) {
        for (let k = 0; k < perEdge; k++) {
          const aWins = rng.bernoulli(sigmoid(REWARD[a] - REWARD[b])) === 1;
          const [w, l] = aWins ? [a, b] : [b, a];
          pairs.push({ chosen: oneHot(w, ARMS), rejected: oneHot(l, ARMS) });
        }
      }
    }
  }
  return pairs;
}

describe('DpoPolicy: closed form on tabular Bradley–Terry data', () => {
  const beta = 0.5;
  const perEdge = 1500;
  const l2 = 1e-7;
  const pairs = btPairs(perEdge, 11);

  it('β·g recovers the maximum-likelihood BT reward and the true reward differences; π_θ ≈ π_ref·exp(r/β)', async () => {
    const policy = new DpoPolicy({ dimension: ARMS, beta, l2 }); // default epochs, step and plateau rule
    const report = await policy.fit(pairs);
    const g = policy.logRatio(identityFeatures(ARMS));

    // (a) Optimisation: DPO with g = θᵀx on one-hot rows is BT logistic regression in φ = β·θ, and
    // n·L(θ) = −Σ log σ(φᵀ(x_w − x_l)) + (n·l2/β²)‖φ‖², i.e. LinearBradleyTerry's MAP objective with
    // λ = 2·n·l2/β². Its Newton solution is the exact optimum: Adam must reach it.
    const mle = new LinearBradleyTerry({ dimension: ARMS, regularization: (2 * pairs.length * l2) / beta ** 2 });
    mle.fit(pairs.map((q) => ({ first: q.chosen, second: q.rejected, outcome: 1 })));
    const rHat = mle.predictMean(identityFeatures(ARMS));
    for (let p = 0; p < 2; p++) {
      for (let a = OFFSETS[p]; a < OFFSETS[p + 1]; a++) {
        for (let b = a + 1; b < OFFSETS[p + 1]; b++) {
          expect(Math.abs(beta * (g[a] - g[b]) - (rHat[a] - rHat[b]))).toBeLessThan(1e-3);
        }
      }
    }

    // (b) Statistics: the ML estimate of r(a) − r(b) has variance cᵀI⁺c with Fisher information
    // I ⪰ m·s_min·L (L the Laplacian of the complete graph K₄, m judgments per edge, s_min the
    // smallest σ′(Δ) over edges). For c = e_a − e_b, cᵀL⁺c = 2/4, so SE ≤ sqrt(0.5/(m·s_min)).
    // Here |Δ| ≤ 1.7, so s_min = σ′(1.7) ≈ 0.131 and SE ≤ 0.050; we allow 4 SE (0.20).
    const sMin = sigmoid(1.7) * (1 - sigmoid(1.7));
    const se = Math.sqrt(0.5 / (perEdge * sMin));
    const tolerance = 4 * se;
    let worst = 0;
    for (let p = 0; p < 2; p++) {
      for (let a = OFFSETS[p]; a < OFFSETS[p + 1]; a++) {
        for (let b = a + 1; b < OFFSETS[p + 1]; b++) {
          worst = Math.max(worst, Math.abs(beta * (g[a] - g[b]) - (REWARD[a] - REWARD[b])));
        }
      }
    }
    expect(worst).toBeLessThan(tolerance);

    // (c) The policy: π_θ = softmax(log π_ref + g) equals the closed form π_ref·exp(r̂/β) of the fitted
    // reward tightly, and the closed form of the true reward π* ∝ π_ref·exp(r/β) within the statistical
    // error: every log-probability ratio within a prompt is off by |Δerror|/β ≤ tolerance/β.
    const candidates = { features: identityFeatures(ARMS), offsets: OFFSETS };
    const pi = policy.probabilities(candidates, REF_LOGPROBS);
    const closedHat = softmaxPerPrompt(
      REF_LOGPROBS.map((l, k) => l + rHat[k] / beta),
      OFFSETS,
    );
    const closedTrue = softmaxPerPrompt(
      REF_LOGPROBS.map((l, k) => l + REWARD[k] / beta),
      OFFSETS,
    );
    for (let k = 0; k < ARMS; k++) {
      expect(Math.abs(Math.log(pi[k] / closedHat[k]))).toBeLessThan(1e-3 / beta);
      expect(Math.abs(Math.log(pi[k] / closedTrue[k]))).toBeLessThan(tolerance / beta);
    }
    expect(report.finalLoss).toBeLessThan(report.initialLoss);
  });
});

describe('DpoPolicy: probabilities', () => {
  const candidates = { features: identityFeatures(ARMS), offsets: OFFSETS };

  it('without pairs g ≡ 0 and π_θ is the normalised reference', async () => {
    for (const hiddenUnits of [[], [5]]) {
      const policy = new DpoPolicy({ dimension: ARMS, hiddenUnits, seed: 3 });
      const report = await policy.fit([]);
      expect(report.epochs).toBe(0);
      expect(Array.from(policy.logRatio(identityFeatures(ARMS)))).toEqual(new Array(ARMS).fill(0));
      const pi = policy.probabilities(candidates, REF_LOGPROBS);
      const ref = softmaxPerPrompt(REF_LOGPROBS, OFFSETS);
      for (let k = 0; k < ARMS; k++) expect(pi[k]).toBeCloseTo(ref[k], 14);
    }
  });

  it('sums to 1 per prompt; a single response gets probability 1; empty prompts are skipped', async () => {
    const rng = new Rng(5);
    const dimension = 3;
    const offsets = Int32Array.from([0, 3, 3, 4, 9]); // prompt 1 empty, prompt 2 a single response
    const rows = 9;
    const features = { rows, cols: dimension, data: Float64Array.from(rng.normals(rows * dimension)) };
    const policy = new DpoPolicy({ dimension, hiddenUnits: [4], seed: 1, epochs: 50 });
    const pairs: DpoPair[] = Array.from({ length: 40 }, () => ({
      chosen: rng.normals(dimension),
      rejected: rng.normals(dimension),
    }));
    await policy.fit(pairs);
    const refLogprobs = Array.from({ length: rows }, () => 3 * rng.normal());
    const pi = policy.probabilities({ features, offsets }, refLogprobs);
    for (let p = 0; p + 1 < offsets.length; p++) {
      if (offsets[p + 1] === offsets[p]) continue;
      let sum = 0;
      for (let r = offsets[p]; r < offsets[p + 1]; r++) {
        expect(pi[r]).toBeGreaterThan(0);
        sum += pi[r];
      }
      expect(sum).toBeCloseTo(1, 12);
    }
    expect(pi[3]).toBe(1);
    // −Infinity reference log-prob: that response gets probability 0, the rest renormalise.
    const masked = [...refLogprobs];
    masked[0] = -Infinity;
    const piMasked = policy.probabilities({ features, offsets }, masked);
    expect(piMasked[0]).toBe(0);
    expect(piMasked[1] + piMasked[2]).toBeCloseTo(1, 12);
  });

  it('is invariant to adding a constant to one prompt’s reference log-probs', async () => {
    const policy = new DpoPolicy({ dimension: ARMS, beta: 0.5, epochs: 100 });
    await policy.fit(btPairs(20, 2));
    const shifted = REF_LOGPROBS.map((l, k) => (k < 4 ? l + 37.5 : l - 1000));
    const a = policy.probabilities(candidates, REF_LOGPROBS);
    const b = policy.probabilities(candidates, shifted);
    for (let k = 0; k < ARMS; k++) expect(b[k]).toBeCloseTo(a[k], 12);
    // ...and the learned tilt does move π_θ away from π_ref.
    const ref = softmaxPerPrompt(REF_LOGPROBS, OFFSETS);
    expect(Math.max(...Array.from(a, (v, k) => Math.abs(v - ref[k])))).toBeGreaterThan(0.05);
  });
});

describe('DpoPolicy: training', () => {
  it('starts at loss log 2 (θ = 0) and the loss decreases with training', async () => {
    const pairs = btPairs(30, 4);
    const untrained = new DpoPolicy({ dimension: ARMS, beta: 0.5 });
    expect(untrained.loss(pairs)).toBeCloseTo(Math.LN2, 14);
    const losses: number[] = [];
    for (const epochs of [1, 5, 25, 100]) {
      const policy = new DpoPolicy({ dimension: ARMS, beta: 0.5, epochs, tolerance: 0 });
      const report = await policy.fit(pairs);
      expect(report.initialLoss).toBeCloseTo(Math.LN2, 14);
      expect(report.finalLoss).toBeCloseTo(policy.loss(pairs), 12);
      losses.push(report.finalLoss);
    }
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    expect(losses[0]).toBeLessThan(Math.LN2);
    // The objective history of one run never goes up by much and ends well below log 2.
    const report = await new DpoPolicy({ dimension: ARMS, beta: 0.5, epochs: 100, tolerance: 0 }).fit(pairs);
    expect(report.history.length).toBe(100);
    expect(report.history[99]).toBeLessThan(report.history[0]);
    expect(report.history[99]).toBeLessThan(0.6);
  });

  it('the hand-written gradient matches central finite differences (linear and 2-layer tanh)', () => {
    const rng = new Rng(13);
    const dimension = 3;
    const n = 7;
    const data = { count: n, chosen: rng.normals(n * dimension), rejected: rng.normals(n * dimension) };
    const beta = 0.7;
    const l2 = 0.05;
    for (const hidden of [[], [4], [4, 3]]) {
      const layout = networkLayout(dimension, hidden);
      const theta = initialParameters(layout, rng);
      // Non-zero output weights and biases, so every path carries gradient.
      for (let i = 0; i < theta.length; i++) theta[i] += 0.5 * rng.normal();
      const grad = new Float64Array(layout.size);
      const terms = gradient(layout, theta, data, beta, l2, grad);
      const at = objective(layout, theta, data, beta, l2);
      expect(terms.loss).toBeCloseTo(at.loss, 14);
      expect(terms.penalty).toBeCloseTo(at.penalty, 14);
      const h = 1e-6;
      for (let i = 0; i < theta.length; i++) {
        const plus = Float64Array.from(theta);
        const minus = Float64Array.from(theta);
        plus[i] += h;
        minus[i] -= h;
        const fp = objective(layout, plus, data, beta, l2);
        const fm = objective(layout, minus, data, beta, l2);
        const numeric = (fp.loss + fp.penalty - fm.loss - fm.penalty) / (2 * h);
        expect(Math.abs(grad[i] - numeric)).toBeLessThan(1e-7);
      }
    }
  });

  it('stops early on a plateau', async () => {
    const pairs = btPairs(30, 4);
    const report = await new DpoPolicy({ dimension: ARMS, beta: 0.5, epochs: 5000, tolerance: 1e-6 }).fit(pairs);
    expect(report.epochs).toBeLessThan(5000);
    expect(report.epochs).toBeGreaterThan(20);
  });

  it('is deterministic under a seed and load(toJSON()) predicts identically', async () => {
    const rng = new Rng(9);
    const dimension = 4;
    const pairs: DpoPair[] = Array.from({ length: 60 }, () => ({
      chosen: rng.normals(dimension),
      rejected: rng.normals(dimension),
    }));
    const options = { dimension, hiddenUnits: [6, 3], epochs: 40, seed: 7, batchSize: 16 };
    const a = new DpoPolicy(options);
    const b = new DpoPolicy(options);
    await a.fit(pairs);
    await b.fit(pairs);
    expect(Array.from(b.parameters)).toEqual(Array.from(a.parameters));
    const c = new DpoPolicy({ ...options, seed: 8 });
    await c.fit(pairs);
    expect(Array.from(c.parameters)).not.toEqual(Array.from(a.parameters));

    const json = JSON.parse(JSON.stringify(a.toJSON())) as SerializedDpoPolicy;
    const loaded = DpoPolicy.load(json);
    expect(Array.from(loaded.parameters)).toEqual(Array.from(a.parameters));
    const features = { rows: 10, cols: dimension, data: rng.normals(10 * dimension) };
    expect(Array.from(loaded.logRatio(features))).toEqual(Array.from(a.logRatio(features)));
    const offsets = Int32Array.from([0, 4, 10]);
    const ref = rng.normals(10);
    expect(Array.from(loaded.probabilities({ features, offsets }, ref))).toEqual(
      Array.from(a.probabilities({ features, offsets }, ref)),
    );
    expect(loaded.fitReport).toEqual(a.fitReport);
    expect(loaded.options).toEqual(a.options);
  });

  it('an MLP fits a nonlinear (XOR-like) preference the linear g cannot', async () => {
    // r(x) = 4·x₁·x₂ on x ∈ [−1, 1]²: no linear function ranks it (the data are symmetric under x ↦ −x).
    const rng = new Rng(21);
    const reward = (x: ArrayLike<number>): number => 4 * x[0] * x[1];
    const draw = (): number[] => [2 * rng.next() - 1, 2 * rng.next() - 1];
    const sample = (n: number): DpoPair[] =>
      Array.from({ length: n }, () => {
        const a = draw();
        const b = draw();
        const aWins = rng.bernoulli(sigmoid(reward(a) - reward(b))) === 1;
        return aWins ? { chosen: a, rejected: b } : { chosen: b, rejected: a };
      });
    const train = sample(400);
    const test = Array.from({ length: 300 }, () => [draw(), draw()]);
    const accuracy = (policy: DpoPolicy): number => {
      let right = 0;
      for (const [a, b] of test) {
        const g = policy.logRatio({ rows: 2, cols: 2, data: Float64Array.from([...a, ...b]) });
        if (g[0] - g[1] > 0 === reward(a) - reward(b) > 0) right++;
      }
      return right / test.length;
    };
    const common = { dimension: 2, beta: 1, epochs: 300, l2: 1e-4, seed: 3 };
    const linear = new DpoPolicy(common);
    const mlp = new DpoPolicy({ ...common, hiddenUnits: [16] });
    const linearReport = await linear.fit(train);
    const mlpReport = await mlp.fit(train);
    expect(mlpReport.finalLoss).toBeLessThan(linearReport.finalLoss - 0.1);
    expect(linearReport.finalLoss).toBeGreaterThan(0.65); // ≈ log 2: the linear model learns ~nothing
    expect(accuracy(mlp)).toBeGreaterThan(0.8); // ≈ 0.9 over several data seeds (labels are noisy)
    expect(accuracy(linear)).toBeLessThan(0.6); // ≈ 0.5: chance
  });
});

describe('DpoPolicy: validation', () => {
  it('rejects bad options', () => {
    expect(() => new DpoPolicy({ dimension: 0 })).toThrow(RangeError);
    expect(() => new DpoPolicy({ dimension: 2.5 })).toThrow(/dimension/);
    expect(() => new DpoPolicy({ dimension: 2, beta: 0 })).toThrow(/beta/);
    expect(() => new DpoPolicy({ dimension: 2, beta: -1 })).toThrow(RangeError);
    expect(() => new DpoPolicy({ dimension: 2, beta: NaN })).toThrow(/beta/);
    expect(() => new DpoPolicy({ dimension: 2, hiddenUnits: [4, 0] })).toThrow(/hiddenUnits\[1\]/);
    expect(() => new DpoPolicy({ dimension: 2, epochs: -1 })).toThrow(/epochs/);
    expect(() => new DpoPolicy({ dimension: 2, learningRate: 0 })).toThrow(/learningRate/);
    expect(() => new DpoPolicy({ dimension: 2, l2: -1e-3 })).toThrow(/l2/);
    expect(() => new DpoPolicy({ dimension: 2, seed: Infinity })).toThrow(/seed/);
    expect(() => new DpoPolicy({ dimension: 2, batchSize: 0 })).toThrow(/batchSize/);
  });

  it('rejects malformed pairs before changing the model', async () => {
    const policy = new DpoPolicy({ dimension: 2, epochs: 20 });
    await policy.fit([{ chosen: [1, 0], rejected: [0, 1] }]);
    const before = Array.from(policy.parameters);
    await expect(policy.fit([{ chosen: [1, 0, 0], rejected: [0, 1] }])).rejects.toThrow(
      /pairs\[0\]\.chosen has 3 values, expected dimension 2/,
    );
    await expect(
      policy.fit([
        { chosen: [1, 0], rejected: [0, 1] },
        { chosen: [1, 0], rejected: [0, NaN] },
      ]),
    ).rejects.toThrow(/pairs\[1\]\.rejected\[1\] is NaN/);
    expect(() => policy.fitSync([{ chosen: [1, Infinity], rejected: [0, 1] }])).toThrow(RangeError);
    expect(Array.from(policy.parameters)).toEqual(before);
  });

  it('rejects malformed features, candidates and reference log-probs', () => {
    const policy = new DpoPolicy({ dimension: 2 });
    expect(() => policy.logRatio({ rows: 1, cols: 3, data: Float64Array.from([1, 2, 3]) })).toThrow(
      /3 columns, expected dimension 2/,
    );
    expect(() => policy.logRatio({ rows: 2, cols: 2, data: Float64Array.from([1, 2, 3]) })).toThrow(
      /expected rows × cols/,
    );
    expect(() => policy.logRatio({ rows: 1, cols: 2, data: Float64Array.from([1, NaN]) })).toThrow(
      /row 0, column 1 is NaN/,
    );
    const features = { rows: 3, cols: 2, data: Float64Array.from([1, 0, 0, 1, 1, 1]) };
    const offsets = Int32Array.from([0, 2, 3]);
    expect(() => policy.probabilities({ features, offsets }, [0, 0])).toThrow(/referenceLogprobs has 2 values/);
    expect(() => policy.probabilities({ features, offsets }, [0, NaN, 0])).toThrow(/prompt 0, response 1/);
    expect(() => policy.probabilities({ features, offsets }, [0, 0, Infinity])).toThrow(RangeError);
    expect(() => policy.probabilities({ features, offsets }, [-Infinity, -Infinity, 0])).toThrow(
      /prompt 0 are -Infinity for every response/,
    );
    expect(() => policy.probabilities({ features, offsets: Int32Array.from([0, 2]) }, [0, 0, 0])).toThrow(
      /expected the row count 3/,
    );
    expect(() => policy.probabilities({ features, offsets: Int32Array.from([1, 3]) }, [0, 0, 0])).toThrow(RangeError);
    expect(() => policy.probabilities({ features, offsets: Int32Array.from([0, 3, 2]) }, [0, 0, 0])).toThrow(
      /non-decreasing/,
    );
  });

  it('load rejects a wrong kind or parameter count', () => {
    const json = new DpoPolicy({ dimension: 2, hiddenUnits: [3] }).toJSON();
    expect(() => DpoPolicy.load({ ...json, kind: 'linear-bt' } as unknown as SerializedDpoPolicy)).toThrow(/kind/);
    expect(() => DpoPolicy.load({ ...json, parameters: json.parameters.slice(1) })).toThrow(/expected 12/);
    expect(() => DpoPolicy.load({ ...json, parameters: json.parameters.map(() => NaN) })).toThrow(/not a finite/);
  });
});
