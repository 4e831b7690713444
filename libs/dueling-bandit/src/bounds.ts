/**
 * Per-prompt confidence bounds: UCB = μ + βσ, LCB = μ − βσ and the AE-Borda gap
 * max_a UCB(x, a) − max_a LCB(x, a). Shared by the strategies, the policies and the certificate so
 * that all three agree on ties (lowest response / prompt index wins).
 */

/** Index of the largest value in values[start, end), lowest index on ties; −1 when empty. */
export function argmaxRange(values: ArrayLike<number>, start: number, end: number): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = start; i < end; i++) {
    if (best < 0 || values[i] > bestValue) {
      best = i;
      bestValue = values[i];
    }
  }
  return best;
}

export interface PromptBound {
  /** max_a UCB(x, a) − max_a LCB(x, a). */
  readonly gap: number;
  readonly maxUcb: number;
  readonly maxLcb: number;
  /** Local index of argmax_a UCB(x, a) (lowest index on ties). */
  readonly ucbArm: number;
  /** Local index of argmax_a LCB(x, a) (lowest index on ties). */
  readonly lcbArm: number;
}

/** Confidence bounds of the arms in rows [start, end) of mean/std. */
export function promptBound(
  mean: ArrayLike<number>,
  std: ArrayLike<number>,
  start: number,
  end: number,
  beta: number,
): PromptBound {
  let maxUcb = -Infinity;
  let maxLcb = -Infinity;
  let ucbArm = -1;
  let lcbArm = -1;
  for (let r = start; r < end; r++) {
    const ucb = mean[r] + beta * std[r];
    const lcb = mean[r] - beta * std[r];
    if (ucbArm < 0 || ucb > maxUcb) {
      maxUcb = ucb;
      ucbArm = r - start;
    }
    if (lcbArm < 0 || lcb > maxLcb) {
      maxLcb = lcb;
      lcbArm = r - start;
    }
  }
  return { gap: maxUcb - maxLcb, maxUcb, maxLcb, ucbArm, lcbArm };
}

export interface GapRanking {
  /** The given prompts sorted by gap, largest first; ties by lower prompt index. */
  readonly order: Int32Array;
  /** gap[k] = gap of order[k] (non-increasing). */
  readonly gap: Float64Array;
  /** ucbArm[k] = argmax_a UCB of order[k]. */
  readonly ucbArm: Int32Array;
}

/** Ranks `prompts` by their gap under a posterior over all rows of the layout `offsets`. */
export function rankPromptsByGap(
  mean: ArrayLike<number>,
  std: ArrayLike<number>,
  offsets: ArrayLike<number>,
  prompts: ArrayLike<number>,
  beta: number,
): GapRanking {
  const n = prompts.length;
  const gaps = new Float64Array(n);
  const arms = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const p = prompts[k];
    const b = promptBound(mean, std, offsets[p], offsets[p + 1], beta);
    gaps[k] = b.gap;
    arms[k] = b.ucbArm;
  }
  const idx = Array.from({ length: n }, (_, k) => k);
  // NaN gaps (a broken posterior) sort last instead of poisoning the comparison.
  const key = (k: number) => (Number.isNaN(gaps[k]) ? -Infinity : gaps[k]);
  idx.sort((i, j) => key(j) - key(i) || prompts[i] - prompts[j]);
  const order = new Int32Array(n);
  const gap = new Float64Array(n);
  const ucbArm = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    order[k] = prompts[idx[k]];
    gap[k] = gaps[idx[k]];
    ucbArm[k] = arms[idx[k]];
  }
  return { order, gap, ucbArm };
}
