/**
 * Pieces every strategy shares: input checks with messages that name the strategy and the field,
 * option resolution, per-prompt confidence bounds and uniform prompt / comparator draws.
 */
import type { Rng } from '@borda/numeric';
import type { ModelKind, PreferenceModel } from '@borda/reward-model';
import { selectablePrompts, validateCandidateSet } from '../candidates';
import type { SelectionContext, StrategyName } from '../types';

// A Record so that a new ModelKind does not compile until it is listed here.
const EVERY_MODEL_KIND: Record<ModelKind, true> = {
  'borda-gp': true,
  'low-rank-borda': true,
  'linear-bt': true,
  'neural-bt': true,
  'bt-laplace': true,
  'preferential-gp': true,
};
export const ALL_MODEL_KINDS: readonly ModelKind[] = Object.keys(EVERY_MODEL_KIND) as ModelKind[];
/** Every model with a posterior mean and std over all arms that is cheap enough to score every arm. */
export const POSTERIOR_MODEL_KINDS: readonly ModelKind[] = ALL_MODEL_KINDS.filter((k) => k !== 'neural-bt');
export const BORDA_MODEL_KINDS: readonly ModelKind[] = ['borda-gp', 'low-rank-borda'];
export const BT_MODEL_KINDS: readonly ModelKind[] = ['linear-bt', 'neural-bt'];

/**
 * Checks batch size, candidates, model kind and feature width, and returns the prompts with at
 * least two responses (the only ones a pair can be asked on).
 */
export function checkContext(
  name: StrategyName,
  compatibleKinds: readonly ModelKind[],
  context: SelectionContext,
): Int32Array {
  if (!context || typeof context !== 'object') throw new TypeError(`${name}: select needs a SelectionContext`);
  const { batchSize, candidates, model, rng } = context;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`${name}: batchSize must be an integer ≥ 1, got ${batchSize}`);
  }
  validateCandidateSet(candidates);
  checkModelKind(name, compatibleKinds, model);
  if (model.dimension !== candidates.features.cols) {
    throw new RangeError(
      `${name}: the model takes ${model.dimension} feature columns but candidates.features has ${candidates.features.cols}`,
    );
  }
  if (!rng || typeof rng.next !== 'function') throw new TypeError(`${name}: context.rng must be an Rng`);
  const selectable = selectablePrompts(candidates);
  if (selectable.length === 0) {
    throw new RangeError(`${name}: no prompt has at least two responses, so no pair can be asked`);
  }
  return selectable;
}

export function checkModelKind(name: string, compatibleKinds: readonly ModelKind[], model: PreferenceModel): void {
  if (!model || typeof model.predict !== 'function') throw new TypeError(`${name}: context.model must be a model`);
  if (!compatibleKinds.includes(model.kind)) {
    throw new TypeError(`${name} is defined on model kinds ${compatibleKinds.join(', ')}; got a '${model.kind}' model`);
  }
}

/** Validates an option that must be a finite number ≥ min (or the default when absent). */
export function numberOption(
  name: string,
  field: string,
  value: number | undefined,
  fallback: number,
  min = 0,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${name}: option ${field} must be a finite number ≥ ${min}, got ${value}`);
  }
  return value;
}

export function integerOption(
  name: string,
  field: string,
  value: number | undefined,
  fallback: number,
  min = 1,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name}: option ${field} must be an integer ≥ ${min}, got ${value}`);
  }
  return value;
}

/** Resolves an optional model-kind override against the kinds a strategy accepts. */
export function modelKindOption(
  name: string,
  value: ModelKind | undefined,
  fallback: ModelKind,
  compatibleKinds: readonly ModelKind[],
): ModelKind {
  if (value === undefined) return fallback;
  if (!compatibleKinds.includes(value)) {
    throw new RangeError(`${name}: option modelKind must be one of ${compatibleKinds.join(', ')}, got ${value}`);
  }
  return value;
}

/**
 * `count` prompts drawn uniformly from `selectable`: distinct while count ≤ selectable.length
 * (a partial Fisher–Yates shuffle), then further independent permutations, so that a prompt
 * repeats within a batch only once every prompt has been used.
 */
export function uniformPrompts(selectable: Int32Array, count: number, rng: Rng): Int32Array {
  const n = selectable.length;
  const out = new Int32Array(count);
  const pool = Int32Array.from(selectable);
  let filled = 0;
  while (filled < count) {
    const take = Math.min(n, count - filled);
    for (let i = 0; i < take; i++) {
      const j = i + rng.int(n - i);
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
      out[filled + i] = pool[i];
    }
    filled += take;
  }
  return out;
}

/** A response of a prompt with `responses` arms, uniform over all but `excluded`. */
export function uniformOther(rng: Rng, responses: number, excluded: number): number {
  return rng.intExcluding(responses, excluded);
}

/**
 * Distinct prompts of a list and, for each list entry, which distinct slot and which occurrence of
 * that prompt it is (sampling strategies draw extra posterior samples for repeated prompts).
 */
export function distinctPrompts(prompts: Int32Array): { unique: Int32Array; slot: Int32Array; occurrence: Int32Array } {
  const slotOf = new Map<number, number>();
  const counts: number[] = [];
  const slot = new Int32Array(prompts.length);
  const occurrence = new Int32Array(prompts.length);
  const unique: number[] = [];
  for (let k = 0; k < prompts.length; k++) {
    let s = slotOf.get(prompts[k]);
    if (s === undefined) {
      s = unique.length;
      slotOf.set(prompts[k], s);
      unique.push(prompts[k]);
      counts.push(0);
    }
    slot[k] = s;
    occurrence[k] = counts[s]++;
  }
  return { unique: Int32Array.from(unique), slot, occurrence };
}

/** Orders a pair by a fair coin, so symmetric rules (APO, MaxInP, BALD) do not always show one arm first. */
export function shuffledPair(rng: Rng, a: number, b: number): [number, number] {
  return rng.next() < 0.5 ? [a, b] : [b, a];
}
