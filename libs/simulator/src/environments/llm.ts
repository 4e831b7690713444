/**
 * LLM-shaped environment: the scale and structure of a real preference campaign, next to the small
 * smooth grids. Thousands of prompts grouped into topics, 4–16 responses each, unit-norm
 * sentence-embedding-like vectors, a reward with a shared quality direction plus a direction per
 * topic, a share of prompts whose two best responses are near-tied, and labels as noisy as human
 * annotators (two independent labelers agree 65–80% of the time). A budget of a few hundred labels
 * is well under one label per prompt.
 *
 * Construction (d = `dimension`; every vector unit-norm, as normalised sentence embeddings):
 * - topic centres μ_t: random unit vectors. Prompt x of topic t: x = c_x μ_t + √(1 − c_x²) ξ with ξ
 *   a random unit vector orthogonal to μ_t, so cos(x, μ_t) = c_x (`topicCosine`). Topics get
 *   prompts in proportion to Dirichlet(1) weights (some topics are big, some small);
 * - response e of prompt x: e = c_e x + √(1 − c_e²) ζ, ζ a random unit vector orthogonal to x, so
 *   cos(e, x) = c_e (`responseCosine`): responses sit near their prompt;
 * - the models see the platform's joint rows [x, e, x ⊙ e] (jointFeatures, float32, width 3d), as
 *   a campaign with imported embeddings;
 * - reward r(x, e) = s · (√ρ qᵀe + √(1 − ρ) w_{t(x)}ᵀe): q the shared quality direction, w_t one
 *   direction per topic (q and the w_t orthogonal to q), t(x) the topic centre nearest x — so the
 *   reward is a function of the joint row the models see. Within a prompt, ζ is isotropic, so the
 *   quality direction explains about ρ (`qualityShare`) of the reward variance;
 * - s is set by bisection (label-agreement.ts) so that two independent Bradley–Terry labelers
 *   agree on uniformly drawn pairs at exactly the `agreement` rate;
 * - near-ties (llm-near-ties.ts): in a `nearTieShare` of the prompts, the runner-up is moved along
 *   its ring around x until the best − runner-up gap (after scaling) is a target drawn uniformly
 *   from [0.1, 0.9] × `nearTieMargin`; then s is recalibrated.
 */
import { Rng } from '@borda/numeric';
import { jointFeatures } from '@borda/reward-model';
import type { Environment, EnvironmentOptions } from '../types';
import { requireInteger } from './build';
import { agreementAtScale, scaleForAgreement, uniformPairDifferences } from './label-agreement';
import { NearTies } from './llm-near-ties';
import { randomUnitVector } from './linear';

export interface LlmEnvironmentOptions extends EnvironmentOptions {
  /** Prompts (default 2000). */
  readonly prompts?: number;
  /** Topics the prompts are grouped into (default 20). */
  readonly topics?: number;
  /** Fewest and most responses per prompt, drawn uniformly (default [4, 16]). */
  readonly responses?: readonly [number, number];
  /** Embedding dimension d (default 64); the joint rows have 3d columns. */
  readonly dimension?: number;
  /** Expected share of within-prompt reward variance along the shared quality direction (default 0.6). */
  readonly qualityShare?: number;
  /** Share of prompts given a near-tied best pair (default 0.15). */
  readonly nearTieShare?: number;
  /**
   * Near-tie gaps stay below this reward difference (default 0.1: one labeler prefers the better
   * response with probability σ(0.1) < 52.5%, a coin flip).
   */
  readonly nearTieMargin?: number;
  /** Target agreement of two independent labelers on uniformly drawn pairs (default 0.72). */
  readonly agreement?: number;
  /** Cosine between a prompt and its topic centre (default 0.6). */
  readonly topicCosine?: number;
  /** Cosine between a response and its prompt (default 0.75). */
  readonly responseCosine?: number;
  readonly name?: string;
}

export interface LlmEnvironment extends Environment {
  /** Topic of each prompt (its nearest topic centre). */
  readonly promptTopics: Int32Array;
  /** Prompts given a near-tied best pair, ascending (other prompts may be near-tied by chance). */
  readonly nearTiePrompts: readonly number[];
  /** Agreement of two independent labelers on uniformly drawn pairs (the calibrated target, to 1e−9). */
  readonly labelAgreement: number;
  /** The reward's parts, to check it against the features: r = scale·(√ρ qᵀe + √(1−ρ) w_{t(x)}ᵀe). */
  readonly structure: {
    readonly dimension: number;
    readonly qualityShare: number;
    readonly scale: number;
    readonly qualityDirection: Float64Array;
    /** topics × d, row-major. */
    readonly topicDirections: Float64Array;
    /** topics × d, row-major. */
    readonly topicCentres: Float64Array;
  };
}

function requireFraction(value: number, name: string, lo: number, hi: number, open = false): number {
  const ok = open ? value > lo && value < hi : value >= lo && value <= hi;
  if (!(Number.isFinite(value) && ok)) {
    throw new RangeError(`${name} must lie in ${open ? '(' : '['}${lo}, ${hi}${open ? ')' : ']'}, got ${value}`);
  }
  return value;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>, aOffset = 0, bOffset = 0, d = a.length) => {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[aOffset + k] * b[bOffset + k];
  return s;
};

/** A random unit vector orthogonal to each unit vector in `against` (Gram–Schmidt, redrawn if degenerate). */
function orthogonalUnit(d: number, rng: Rng, against: readonly Float64Array[]): Float64Array {
  const v = new Float64Array(d);
  for (;;) {
    randomUnitVector(d, rng, v);
    for (const u of against) {
      const c = dot(v, u);
      for (let k = 0; k < d; k++) v[k] -= c * u[k];
    }
    const norm = Math.sqrt(dot(v, v));
    if (norm > 1e-6) {
      for (let k = 0; k < d; k++) v[k] /= norm;
      return v;
    }
  }
}

/** c·u + √(1 − c²)·v for unit u ⟂ unit v: a unit vector at cosine c from u (written into `out`). */
function atCosine(
  u: Float64Array,
  v: Float64Array,
  c: number,
  out: Float64Array<ArrayBufferLike> = new Float64Array(u.length),
): Float64Array<ArrayBufferLike> {
  const s = Math.sqrt(1 - c * c);
  for (let k = 0; k < u.length; k++) out[k] = c * u[k] + s * v[k];
  return out;
}

/** vᵀ(c·x + √(1 − c²)·z): the unscaled reward of the response with ring direction z, without building it. */
function rewardOnRing(v: Float64Array, x: Float64Array, z: Float64Array, c: number): number {
  return c * dot(v, x) + Math.sqrt(1 - c * c) * dot(v, z);
}

function drawTopicSizes(prompts: number, topics: number, rng: Rng): Int32Array {
  // Dirichlet(1) weights are normalised exponentials; every topic keeps at least one prompt.
  const weights = Array.from({ length: topics }, () => -Math.log(1 - rng.next()));
  const total = weights.reduce((a, b) => a + b, 0);
  const sizes = new Int32Array(topics).fill(1);
  let left = prompts - topics;
  const shares = weights.map((w) => (w / total) * left);
  for (let t = 0; t < topics; t++) {
    const whole = Math.floor(shares[t]);
    sizes[t] += whole;
    left -= whole;
  }
  for (let i = 0; left > 0; i = (i + 1) % topics, left--) sizes[i]++;
  return sizes;
}

export function llmEnvironment(options: LlmEnvironmentOptions = {}): LlmEnvironment {
  const prompts = requireInteger(options.prompts ?? 2000, 'prompts', 2, 1_000_000);
  const topics = requireInteger(options.topics ?? 20, 'topics', 1, prompts);
  const [fewest, most] = options.responses ?? [4, 16];
  requireInteger(fewest, 'responses[0]', 2, 1000);
  requireInteger(most, 'responses[1]', fewest, 1000);
  const d = requireInteger(options.dimension ?? 64, 'dimension', 2, 4096);
  const rho = requireFraction(options.qualityShare ?? 0.6, 'qualityShare', 0, 1);
  const nearTieShare = requireFraction(options.nearTieShare ?? 0.15, 'nearTieShare', 0, 1);
  const margin = requireFraction(options.nearTieMargin ?? 0.1, 'nearTieMargin', 0, 10, true);
  const agreement = requireFraction(options.agreement ?? 0.72, 'agreement', 0.5, 1, true);
  const topicCosine = requireFraction(options.topicCosine ?? 0.6, 'topicCosine', 0, 1, true);
  const responseCosine = requireFraction(options.responseCosine ?? 0.75, 'responseCosine', 0, 1, true);
  const rng = new Rng(options.seed ?? 1);

  const structureRng = rng.fork(0);
  const quality = randomUnitVector(d, structureRng) as Float64Array;
  const centres = Array.from({ length: topics }, () => randomUnitVector(d, structureRng) as Float64Array);
  const directions = Array.from({ length: topics }, () => orthogonalUnit(d, structureRng, [quality]));

  // Prompts, topic by topic, then shuffled so topics interleave like a real import.
  const promptRng = rng.fork(1);
  const sizes = drawTopicSizes(prompts, topics, promptRng);
  const drawn: Float64Array[] = [];
  sizes.forEach((size, t) => {
    for (let i = 0; i < size; i++)
      drawn.push(atCosine(centres[t], orthogonalUnit(d, promptRng, [centres[t]]), topicCosine));
  });
  const promptVectors = promptRng.shuffle(drawn);
  const promptTopics = Int32Array.from(promptVectors, (x) => {
    let best = 0;
    for (let t = 1; t < topics; t++) if (dot(centres[t], x) > dot(centres[best], x)) best = t;
    return best;
  });

  // Unscaled reward direction per prompt: r = vᵀe with v = √ρ q + √(1−ρ) w_t.
  const rewardDirection = (p: number) => {
    const w = directions[promptTopics[p]];
    const v = new Float64Array(d);
    for (let k = 0; k < d; k++) v[k] = Math.sqrt(rho) * quality[k] + Math.sqrt(1 - rho) * w[k];
    return v;
  };
  const responseRng = rng.fork(2);
  const noises: Float64Array[][] = [];
  const rewards: Float64Array[] = [];
  for (let p = 0; p < prompts; p++) {
    const x = promptVectors[p];
    const v = rewardDirection(p);
    const k = fewest + responseRng.int(most - fewest + 1);
    const list = Array.from({ length: k }, () => orthogonalUnit(d, responseRng, [x]));
    noises.push(list);
    rewards.push(Float64Array.from(list, (z) => rewardOnRing(v, x, z, responseCosine)));
  }

  const offsets = new Int32Array(prompts + 1);
  rewards.forEach((r, p) => (offsets[p + 1] = offsets[p] + r.length));
  const raw = new Float64Array(offsets[prompts]);
  const calibrate = () => {
    rewards.forEach((r, p) => raw.set(r, offsets[p]));
    return scaleForAgreement(uniformPairDifferences(offsets, raw), agreement);
  };
  // Near-tie gaps are set in calibrated units, but raising runner-ups lowers the agreement and so
  // raises the scale a little: re-place until every gap is below the margin at the final scale.
  const ties = new NearTies(rng.fork(3), promptVectors, noises, rewards, rewardDirection, responseCosine);
  const nearTiePrompts = ties.choose(Math.round(nearTieShare * prompts));
  let scale = calibrate();
  for (let round = 0; round < 10 && ties.widestGap() * scale >= margin; round++) {
    ties.place(margin / scale);
    scale = calibrate();
  }
  if (ties.widestGap() * scale >= margin) throw new Error('llm environment: near-tie placement did not converge');
  const reward = raw.map((r) => scale * r);

  // Responses on their rings, in place of the ring directions (no longer needed).
  noises.forEach((list, p) => list.forEach((z) => atCosine(promptVectors[p], z, responseCosine, z)));
  const { features } = jointFeatures(promptVectors, noises, { precision: 'float32' });
  const flat = (vs: Float64Array[]) => {
    const out = new Float64Array(vs.length * d);
    vs.forEach((v, i) => out.set(v, i * d));
    return out;
  };
  return {
    name: options.name ?? 'llm',
    offsets,
    features,
    reward,
    // No lengthscale hint: like a real campaign, kernel models fall back to the median distance.
    promptTopics,
    nearTiePrompts,
    labelAgreement: agreementAtScale(uniformPairDifferences(offsets, reward)),
    structure: {
      dimension: d,
      qualityShare: rho,
      scale,
      qualityDirection: quality,
      topicDirections: flat(directions),
      topicCentres: flat(centres),
    },
    description:
      `${prompts} prompts in ${topics} topics × ${fewest}–${most} responses, unit embeddings in R^${d} ` +
      `(joint rows [x, e, x⊙e], width ${3 * d}); reward = shared quality (share ${rho}) + per-topic ` +
      `direction; ${nearTiePrompts.length} near-tie prompts (best − runner-up < ${margin}); labels ` +
      `calibrated to ${(agreement * 100).toFixed(0)}% agreement between two labelers`,
  };
}

/** Named sizes of the LLM environment (keep both runnable on 2 cores). */
export const LLM_PRESETS = {
  'llm-small': { prompts: 2000, topics: 20, dimension: 64 },
  'llm-large': { prompts: 10_000, topics: 50, dimension: 256 },
} as const satisfies Record<string, LlmEnvironmentOptions>;
