/**
 * Mixed-difficulty environment: most prompts have one clearly best response, a few have a near-tie
 * between the best and the runner-up — a gap too small for a handful of Bradley–Terry labels to
 * resolve, yet above ε = 5% of the reward range, so getting it wrong counts in SubOpt_max. Uniform
 * context selection spends most labels on the easy prompts; active context selection exists for
 * exactly this case.
 *
 * Construction (all in the unit square, reward smooth in the features so a GP can learn it):
 * - responses sit on an action grid a_j = j / (m − 1); prompt p has a context coordinate x_p, and
 *   arm (p, j) has features (x_p, a_j);
 * - the reward is one smooth ridge along the diagonal, r(x, a) = −3 + 6 · exp(−(a − x)² / (2w²)),
 *   then rescaled affinely so the arms span exactly [−3, 3]; the best response of prompt p is the
 *   grid action nearest x_p;
 * - near-tie prompts put x_p close to the midpoint of two neighbouring actions, at the offset δ
 *   (solved by bisection) that makes the best−runner-up gap a target drawn uniformly from
 *   [1.3ε, 2ε]; clear prompts draw x_p uniformly and keep it only when that gap is ≥ 4ε;
 * - the prompt order is shuffled, and `nearTiePrompts` lists where the near-ties landed.
 */
import { Rng } from '@borda/numeric';
import type { Environment, EnvironmentOptions } from '../types';
import { buildRows, linspace, requireInteger, requirePositive, rescale } from './build';
import { REWARD_LIMIT } from './grid';

export interface MixedEnvironmentOptions extends EnvironmentOptions {
  /** Prompts (default 24). */
  readonly prompts?: number;
  /** Responses per prompt (default 8, at least 3). */
  readonly responses?: number;
  /** Prompts with a near-tie (default 4). */
  readonly nearTies?: number;
  /** Width w of the reward ridge along the action axis (default 0.15). */
  readonly width?: number;
}

export interface MixedEnvironment extends Environment {
  /** Indices of the near-tie prompts, ascending. */
  readonly nearTiePrompts: readonly number[];
}

/** ε as a fraction of the reward range, and the gap bands that define "near-tie" and "clear". */
export const MIXED_EPSILON_FRACTION = 0.05;
export const NEAR_TIE_GAP = [1.3, 2] as const;
export const CLEAR_GAP = 4;

const RIDGE = (x: number, a: number, w: number) =>
  -REWARD_LIMIT + 2 * REWARD_LIMIT * Math.exp(-((a - x) ** 2) / (2 * w * w));

function topGap(x: number, actions: Float64Array, w: number): number {
  let best = -Infinity;
  let second = -Infinity;
  for (const a of actions) {
    const r = RIDGE(x, a, w);
    if (r > best) {
      second = best;
      best = r;
    } else if (r > second) second = r;
  }
  return best - second;
}

export function mixedEnvironment(options: MixedEnvironmentOptions = {}): MixedEnvironment {
  const prompts = requireInteger(options.prompts ?? 24, 'prompts', 2, 100_000);
  const m = requireInteger(options.responses ?? 8, 'responses', 3, 1000);
  const nearTies = requireInteger(options.nearTies ?? 4, 'nearTies', 0, prompts);
  const w = requirePositive(options.width ?? 0.15, 'width');
  const rng = new Rng(options.seed ?? 1);
  const actions = linspace(0, 1, m);
  const h = actions[1] - actions[0];
  const epsilon = MIXED_EPSILON_FRACTION * 2 * REWARD_LIMIT;
  const maxGap = topGap(actions[1], actions, w); // the clearest a prompt can be: x on an interior action
  if (maxGap < CLEAR_GAP * epsilon) {
    throw new RangeError(
      `mixed environment: width ${w} with ${m} responses leaves no prompt a clear best (gap ${maxGap.toFixed(3)} < ${CLEAR_GAP}ε); lower width or responses`,
    );
  }

  const contexts: number[] = [];
  for (let p = 0; p < nearTies; p++) {
    const target = epsilon * (NEAR_TIE_GAP[0] + (NEAR_TIE_GAP[1] - NEAR_TIE_GAP[0]) * rng.next());
    const j = rng.int(m - 1);
    const mid = (actions[j] + actions[j + 1]) / 2;
    // topGap(mid + δ) grows from 0 as δ leaves the midpoint; bisection finds the target gap.
    let lo = 0;
    let hi = h / 2;
    for (let it = 0; it < 60; it++) {
      const d = (lo + hi) / 2;
      if (topGap(mid + d, actions, w) < target) lo = d;
      else hi = d;
    }
    contexts.push(mid + (rng.next() < 0.5 ? -hi : hi));
  }
  for (let p = nearTies; p < prompts; p++) {
    let x: number;
    do x = rng.next();
    while (topGap(x, actions, w) < CLEAR_GAP * epsilon);
    contexts.push(x);
  }
  const order = rng.shuffle(Array.from({ length: prompts }, (_, p) => p));
  const xs = order.map((k) => contexts[k]);
  const nearTiePrompts = order.flatMap((k, p) => (k < nearTies ? [p] : []));

  const features = buildRows(prompts * m, 2, (k, out) => {
    out[0] = xs[Math.floor(k / m)];
    out[1] = actions[k % m];
  });
  const raw = new Float64Array(prompts * m);
  for (let k = 0; k < raw.length; k++) raw[k] = RIDGE(features.data[2 * k], features.data[2 * k + 1], w);
  const offsets = new Int32Array(prompts + 1);
  for (let p = 0; p <= prompts; p++) offsets[p] = p * m;
  return {
    name: 'mixed',
    offsets,
    features,
    // The ridge already spans almost exactly [−3, 3]; rescaling makes ε exactly 0.3 and only widens gaps.
    reward: rescale(raw, -REWARD_LIMIT, REWARD_LIMIT),
    promptLabels: xs.map((x, p) => `${nearTiePrompts.includes(p) ? 'near-tie' : 'clear'} x=${x.toFixed(3)}`),
    lengthscale: w,
    nearTiePrompts,
    description: `${prompts} prompts × ${m} responses on a smooth ridge (width ${w}); ${nearTies} near-tie prompts with gaps in [${NEAR_TIE_GAP[0]}ε, ${NEAR_TIE_GAP[1]}ε], the rest ≥ ${CLEAR_GAP}ε (ε = 5% of the range)`,
  };
}
