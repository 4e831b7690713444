import { describe, expect, it } from 'vitest';
import { Rng, sigmoid } from '@borda/numeric';
import { createStrategy } from '@borda/dueling-bandit';
import type { PreferenceModel } from '@borda/reward-model';
import {
  ENVIRONMENT_NAMES,
  type LlmEnvironment,
  agreementAtScale,
  createEnvironment,
  drawPreference,
  labelAgreement,
  llmEnvironment,
  scaleForAgreement,
  uniformPairDifferences,
  validateEnvironment,
} from '@borda/simulator';

const small = llmEnvironment({ prompts: 300, topics: 6, dimension: 32, seed: 4 });
const preset = createEnvironment('llm-small') as LlmEnvironment;

const promptsOf = (env: LlmEnvironment) => env.offsets.length - 1;
const sortedRewards = (env: LlmEnvironment, p: number) =>
  Array.from(env.reward.subarray(env.offsets[p], env.offsets[p + 1])).sort((a, b) => b - a);
const topGap = (env: LlmEnvironment, p: number) => {
  const r = sortedRewards(env, p);
  return r[0] - r[1];
};
/** The prompt part x and response part e of joint row `row` ([x, e, x ⊙ e]). */
const parts = (env: LlmEnvironment, row: number) => {
  const d = env.structure.dimension;
  const data = env.features.data.subarray(row * 3 * d, (row + 1) * 3 * d);
  return { x: data.subarray(0, d), e: data.subarray(d, 2 * d), xe: data.subarray(2 * d) };
};
const dot = (a: ArrayLike<number>, b: ArrayLike<number>, bOffset = 0) => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[bOffset + k];
  return s;
};

describe('label agreement', () => {
  it('is σ(Δ)² + σ(−Δ)² for one pair, 1/2 at scale 0, and the bisection inverts it', () => {
    const pairs = uniformPairDifferences(new Int32Array([0, 2]), [1.3, 0]);
    const p = sigmoid(1.3);
    expect(agreementAtScale(pairs)).toBeCloseTo(p * p + (1 - p) * (1 - p), 14);
    expect(agreementAtScale(pairs, 0)).toBe(0.5);
    const s = scaleForAgreement(pairs, 0.7);
    expect(agreementAtScale(pairs, s)).toBeCloseTo(0.7, 8);
    expect(() => scaleForAgreement(pairs, 0.5)).toThrow(RangeError);
  });

  it('weights prompts equally and pairs equally within a prompt (the uniform strategy)', () => {
    // Prompt 0: one pair (Δ = 2); prompt 1: three pairs (Δ = 1, 1, 0).
    const pairs = uniformPairDifferences(new Int32Array([0, 2, 5]), [2, 0, 1, 0, 0]);
    const a = (d: number) => sigmoid(d) ** 2 + sigmoid(-d) ** 2;
    expect(agreementAtScale(pairs)).toBeCloseTo(a(2) / 2 + (a(1) + a(1) + a(0)) / 6, 14);
  });
});

describe('llm environment', () => {
  it('has the campaign shape: joint rows [x, e, x ⊙ e] of unit embeddings, 4–16 responses', () => {
    expect(ENVIRONMENT_NAMES).toEqual(expect.arrayContaining(['llm-small', 'llm-large']));
    expect(promptsOf(preset)).toBe(2000);
    expect(preset.features.cols).toBe(3 * 64);
    expect(preset.features.data).toBeInstanceOf(Float32Array);
    validateEnvironment(preset);
    const counts = Array.from({ length: promptsOf(preset) }, (_, p) => preset.offsets[p + 1] - preset.offsets[p]);
    expect(Math.min(...counts)).toBe(4);
    expect(Math.max(...counts)).toBe(16);
    for (const row of [0, 17, 5000, preset.features.rows - 1]) {
      const { x, e, xe } = parts(preset, row);
      expect(dot(x, x)).toBeCloseTo(1, 5);
      expect(dot(e, e)).toBeCloseTo(1, 5);
      expect(dot(x, e)).toBeCloseTo(0.75, 5); // responses near their prompt
      xe.forEach((v, k) => expect(v).toBeCloseTo(x[k] * e[k], 6));
    }
  });

  it('groups prompts into topics: each prompt sits at the topic cosine from its (nearest) centre', () => {
    const d = small.structure.dimension;
    const centre = (t: number) => small.structure.topicCentres.subarray(t * d, (t + 1) * d);
    for (let p = 0; p < promptsOf(small); p++) {
      const { x } = parts(small, small.offsets[p]);
      expect(dot(x, centre(small.promptTopics[p]))).toBeCloseTo(0.6, 5);
    }
    // Every topic holds prompts.
    expect(new Set(small.promptTopics).size).toBe(6);
  });

  it('is deterministic in its seed', () => {
    const again = llmEnvironment({ prompts: 300, topics: 6, dimension: 32, seed: 4 });
    const other = llmEnvironment({ prompts: 300, topics: 6, dimension: 32, seed: 5 });
    expect(again.features.data).toEqual(small.features.data);
    expect(again.reward).toEqual(small.reward);
    expect(again.nearTiePrompts).toEqual(small.nearTiePrompts);
    expect(other.reward).not.toEqual(small.reward);
  });

  it('rewards a function of the joint row: scale · (√ρ qᵀe + √(1 − ρ) w_{nearest topic of x}ᵀe)', () => {
    const {
      dimension: d,
      qualityShare: rho,
      scale,
      qualityDirection: q,
      topicDirections,
      topicCentres,
    } = small.structure;
    const topics = topicCentres.length / d;
    for (let row = 0; row < small.features.rows; row++) {
      const { x, e } = parts(small, row);
      let nearest = 0;
      for (let t = 1; t < topics; t++) if (dot(x, topicCentres, t * d) > dot(x, topicCentres, nearest * d)) nearest = t;
      const expected = scale * (Math.sqrt(rho) * dot(e, q) + Math.sqrt(1 - rho) * dot(e, topicDirections, nearest * d));
      // float32 features: agreement to float32 precision times the reward scale.
      expect(Math.abs(small.reward[row] - expected)).toBeLessThan(1e-5 * scale);
    }
  });

  it('the quality direction explains the qualityShare of the within-prompt reward variance', () => {
    for (const rho of [0, 0.3, 0.6, 1]) {
      const env = llmEnvironment({ prompts: 600, topics: 8, dimension: 48, qualityShare: rho, nearTieShare: 0 });
      const q = env.structure.qualityDirection;
      let qualityVariance = 0;
      let totalVariance = 0;
      for (let p = 0; p < promptsOf(env); p++) {
        const rows = Array.from({ length: env.offsets[p + 1] - env.offsets[p] }, (_, i) => env.offsets[p] + i);
        const quality = rows.map((row) => env.structure.scale * Math.sqrt(rho) * dot(parts(env, row).e, q));
        const total = rows.map((row) => env.reward[row]);
        const variance = (xs: number[]) => {
          const m = xs.reduce((a, b) => a + b, 0) / xs.length;
          return xs.reduce((a, b) => a + (b - m) ** 2, 0);
        };
        qualityVariance += variance(quality);
        totalVariance += variance(total);
      }
      // q ⟂ every topic direction, and within a prompt the responses spread isotropically around
      // it: the share is ρ up to O(1/√(d · responses)) sampling error.
      expect(qualityVariance / totalVariance).toBeCloseTo(rho, 1);
    }
  });

  it('has a nearTieShare of prompts whose two best responses differ by less than the margin', () => {
    for (const env of [small, preset]) {
      const prompts = promptsOf(env);
      expect(env.nearTiePrompts).toHaveLength(Math.round(0.15 * prompts));
      for (const p of env.nearTiePrompts) {
        expect(topGap(env, p)).toBeLessThan(0.1);
        expect(topGap(env, p)).toBeGreaterThan(0);
      }
      const tied = Array.from({ length: prompts }, (_, p) => topGap(env, p) < 0.1).filter(Boolean).length;
      expect(tied / prompts).toBeGreaterThanOrEqual(0.15);
    }
    const none = llmEnvironment({ prompts: 200, topics: 4, dimension: 32, nearTieShare: 0 });
    expect(none.nearTiePrompts).toEqual([]);
    const wide = llmEnvironment({ prompts: 200, topics: 4, dimension: 32, nearTieShare: 0.5, nearTieMargin: 0.3 });
    for (const p of wide.nearTiePrompts) expect(topGap(wide, p)).toBeLessThan(0.3);
  });

  it('calibrates label noise: two independent labelers agree 65–80% on uniformly drawn pairs', () => {
    expect(labelAgreement(preset)).toBeCloseTo(0.72, 6);
    expect(preset.labelAgreement).toBeCloseTo(0.72, 6);
    for (const agreement of [0.65, 0.8]) {
      expect(labelAgreement(llmEnvironment({ prompts: 200, topics: 4, dimension: 32, agreement }))).toBeCloseTo(
        agreement,
        6,
      );
    }
    // The same rate, measured: the uniform strategy draws the pairs, two labelers label each.
    const uniform = createStrategy('uniform');
    const candidates = { features: preset.features, offsets: preset.offsets };
    // The uniform strategy never reads the model; it only checks its kind and width.
    const model = {
      kind: 'borda-gp',
      dimension: preset.features.cols,
      predict: () => {
        throw new Error('not used');
      },
    } as unknown as PreferenceModel;
    const rng = new Rng(9);
    const first = new Rng(10);
    const second = new Rng(11);
    let agree = 0;
    let n = 0;
    for (let round = 0; round < 20; round++) {
      for (const query of uniform.select({ candidates, model, batchSize: 2000, rng })) {
        const a = drawPreference(preset, query.prompt, query.first, query.second, first);
        const b = drawPreference(preset, query.prompt, query.first, query.second, second);
        agree += a === b ? 1 : 0;
        n++;
      }
    }
    const rate = agree / n;
    expect(Math.abs(rate - 0.72)).toBeLessThan(4.5 * Math.sqrt((0.72 * 0.28) / n));
  });

  it('llm-large: 10,000 prompts at d = 256, calibrated into the band', () => {
    const large = createEnvironment('llm-large') as LlmEnvironment;
    expect(promptsOf(large)).toBe(10_000);
    expect(large.features.cols).toBe(768);
    const agreement = labelAgreement(large);
    expect(agreement).toBeGreaterThanOrEqual(0.65);
    expect(agreement).toBeLessThanOrEqual(0.8);
    expect(large.nearTiePrompts).toHaveLength(1500);
  });

  it('refuses bad options', () => {
    expect(() => llmEnvironment({ agreement: 0.5 })).toThrow(/agreement must lie in \(0.5, 1\)/);
    expect(() => llmEnvironment({ responses: [5, 3] })).toThrow(/responses\[1\]/);
    expect(() => llmEnvironment({ qualityShare: 1.2 })).toThrow(/qualityShare/);
    expect(() => llmEnvironment({ prompts: 10, topics: 11 })).toThrow(/topics/);
  });
});
