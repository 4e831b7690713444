/**
 * How often two independent Bradley–Terry labelers agree on the pairs a uniform strategy draws
 * (a uniformly random prompt, then a uniformly random pair of its distinct responses), and the
 * reward scale that makes that rate match what human annotators reach (65–80% in RLHF datasets).
 *
 * For one pair with reward difference Δ, each labeler prefers the first response with probability
 * σ(Δ), independently, so they agree with probability σ(Δ)² + σ(−Δ)² = 1 − 2σ(Δ)σ(−Δ). Averaged
 * over prompts (equal weight) and, within a prompt, over its k(k−1)/2 unordered pairs (equal weight;
 * the order of a pair does not change the rate), that is an exact expectation, not a simulation.
 * With rewards scaled by s it increases strictly from 1/2 (s = 0) towards 1, so the scale for a
 * target rate is found by bisection.
 */
/** Within-prompt reward differences of every unordered pair, with each pair's uniform-strategy weight. */
export interface PairDifferences {
  readonly differences: Float64Array;
  readonly weights: Float64Array;
}

export function uniformPairDifferences(offsets: Int32Array, reward: ArrayLike<number>): PairDifferences {
  const prompts = offsets.length - 1;
  let pairs = 0;
  for (let p = 0; p < prompts; p++) {
    const k = offsets[p + 1] - offsets[p];
    pairs += (k * (k - 1)) / 2;
  }
  const differences = new Float64Array(pairs);
  const weights = new Float64Array(pairs);
  let n = 0;
  for (let p = 0; p < prompts; p++) {
    const o = offsets[p];
    const k = offsets[p + 1] - o;
    const weight = 1 / (prompts * ((k * (k - 1)) / 2));
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        differences[n] = reward[o + i] - reward[o + j];
        weights[n++] = weight;
      }
    }
  }
  return { differences, weights };
}

/** Agreement rate of two independent labelers when every difference is multiplied by `scale`. */
export function agreementAtScale(pairs: PairDifferences, scale = 1): number {
  // 1 − 2σ(x)σ(−x) = 1 − 2e^{−|x|} / (1 + e^{−|x|})², written without overflow for large |x|.
  let total = 0;
  const { differences, weights } = pairs;
  for (let i = 0; i < differences.length; i++) {
    const e = Math.exp(-Math.abs(scale * differences[i]));
    total += weights[i] * (1 - (2 * e) / ((1 + e) * (1 + e)));
  }
  return total;
}

/** The agreement rate of two independent Bradley–Terry labelers on uniformly drawn pairs. */
export function labelAgreement(env: { readonly offsets: Int32Array; readonly reward: ArrayLike<number> }): number {
  return agreementAtScale(uniformPairDifferences(env.offsets, env.reward));
}

/**
 * The scale s > 0 at which `agreementAtScale(pairs, s)` equals `target` (to 1e−9 relative in s).
 * `target` must lie strictly between 1/2 and the rate of noiseless labels on these pairs (1 unless
 * some differences are exactly 0).
 */
export function scaleForAgreement(pairs: PairDifferences, target: number): number {
  if (!(target > 0.5 && target < 1)) throw new RangeError(`agreement must lie in (0.5, 1), got ${target}`);
  let lo = 0;
  let hi = 1;
  for (let doublings = 0; agreementAtScale(pairs, hi) < target; doublings++) {
    if (doublings > 200) throw new RangeError(`agreement ${target} is out of reach: too many tied pairs`);
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1e-9 * hi) {
    const mid = (lo + hi) / 2;
    if (agreementAtScale(pairs, mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
