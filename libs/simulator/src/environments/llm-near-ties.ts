/**
 * Near-tied best responses for the LLM environment (llm.ts): a chosen prompt's runner-up response
 * is moved along its ring around the prompt (so its cosine to the prompt is unchanged) towards the
 * reward's steepest direction ζ* on that ring, until the best − runner-up gap is a target.
 *
 * Along the normalised interpolation from the runner-up's ring direction ζ to ζ*, the angle to ζ*
 * shrinks monotonically, so the (linear in e) reward rises monotonically and bisection finds the
 * target; it never passes the best response, whose reward is at most the ring's maximum. Only
 * prompts with ≥ 3 responses are chosen, so a moved runner-up is never its prompt's lowest response.
 */
import type { Rng } from '@borda/numeric';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
};

export class NearTies {
  private chosen: number[] = [];
  /** Each chosen prompt's target gap as a fraction of the margin, uniform on [0.1, 0.9]. */
  private readonly fractions = new Map<number, number>();

  /**
   * `noises[p][i]`: unit ring direction of response i of prompt p (⟂ prompt p); `rewards[p][i]` its
   * unscaled reward vᵀ(c·x + √(1 − c²)·ζ) with v = `rewardDirection(p)`. Both are updated in place.
   */
  constructor(
    private readonly rng: Rng,
    private readonly promptVectors: readonly Float64Array[],
    private readonly noises: Float64Array[][],
    private readonly rewards: Float64Array[],
    private readonly rewardDirection: (p: number) => Float64Array,
    private readonly responseCosine: number,
  ) {}

  /** Picks `count` random prompts with ≥ 3 responses (fewer if fewer qualify); ascending. */
  choose(count: number): number[] {
    const eligible = this.rng.shuffle(this.rewards.flatMap((r, p) => (r.length >= 3 ? [p] : [])));
    this.chosen = eligible.slice(0, Math.min(count, eligible.length)).sort((a, b) => a - b);
    for (const p of this.chosen) this.fractions.set(p, 0.1 + 0.8 * this.rng.next());
    return this.chosen;
  }

  /** The widest best − runner-up gap among the chosen prompts (unscaled; 0 when none). */
  widestGap(): number {
    let widest = 0;
    for (const p of this.chosen) {
      const [best, second] = this.topTwo(p);
      widest = Math.max(widest, this.rewards[p][best] - this.rewards[p][second]);
    }
    return widest;
  }

  /** Raises each chosen prompt's runner-up until its gap is its fraction × `margin` (unscaled units). */
  place(margin: number): void {
    const c = this.responseCosine;
    const s = Math.sqrt(1 - c * c);
    for (const p of this.chosen) {
      const r = this.rewards[p];
      const [best, second] = this.topTwo(p);
      const target = r[best] - this.fractions.get(p)! * margin;
      if (r[second] >= target) continue; // already that close
      const x = this.promptVectors[p];
      const v = this.rewardDirection(p);
      const vx = dot(v, x);
      const steepest = Float64Array.from(x, (xk, k) => v[k] - vx * xk);
      const norm = Math.sqrt(dot(steepest, steepest));
      for (let k = 0; k < steepest.length; k++) steepest[k] /= norm;
      // On z(t) = ((1 − t)ζ + tζ*) / ‖·‖ the reward is c·vᵀx + s·((1 − t)a + t·b) / ‖·‖ with a = vᵀζ,
      // b = vᵀζ* and ‖·‖² = (1 − t)² + t² + 2t(1 − t)ζᵀζ*: O(1) per bisection step.
      const start = this.noises[p][second];
      const a = dot(v, start);
      const b = dot(v, steepest);
      const g = dot(start, steepest);
      const length = (t: number) => Math.sqrt((1 - t) * (1 - t) + t * t + 2 * t * (1 - t) * g);
      const rewardAt = (t: number) => c * vx + (s * ((1 - t) * a + t * b)) / length(t);
      let lo = 0;
      let hi = 1;
      for (let it = 0; it < 60; it++) {
        const mid = (lo + hi) / 2;
        if (rewardAt(mid) < target) lo = mid;
        else hi = mid;
      }
      const n = length(lo);
      this.noises[p][second] = Float64Array.from(start, (zk, k) => ((1 - lo) * zk + lo * steepest[k]) / n);
      r[second] = c * vx + s * dot(v, this.noises[p][second]);
    }
  }

  private topTwo(p: number): [number, number] {
    const r = this.rewards[p];
    let best = 0;
    let second = -1;
    for (let i = 1; i < r.length; i++) {
      if (r[i] > r[best]) {
        second = best;
        best = i;
      } else if (second < 0 || r[i] > r[second]) second = i;
    }
    return [best, second];
  }
}
