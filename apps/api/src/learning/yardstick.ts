/**
 * The campaign's yardstick: a share of comparisons drawn uniformly at random (a uniform prompt, then a
 * uniform pair of its responses) instead of by the strategy. Actively chosen labels are a biased sample
 * of the comparisons a policy will face, so metrics measured on them flatter or wrong the model; labels
 * on yardstick comparisons are an unbiased held-out set, and a model fitted on them alone is the
 * baseline that shows whether active selection paid off on the campaign's own data (docs/algorithms.md
 * §1.4).
 */
import type { Rng } from '@borda/numeric';
import type { CampaignCandidates } from './candidates';
import { hashFraction } from './observations';
import { pairKey } from './selection';

/**
 * How many of the next `batch` comparisons are yardstick ones, so that the running share stays at
 * `share` (a deficit is made up at once, never more than the batch).
 */
export function yardstickCount(share: number, yardstickSoFar: number, comparisonsSoFar: number, batch: number): number {
  if (!(share > 0) || batch <= 0) return 0;
  const due = Math.round(share * (comparisonsSoFar + batch)) - yardstickSoFar;
  return Math.max(0, Math.min(batch, due));
}

export interface YardstickPick {
  readonly prompt: number;
  readonly firstRow: number;
  readonly secondRow: number;
}

/**
 * `count` uniform comparisons not in `taken` (keys added as they are picked). Prompts with fewer than
 * two responses are skipped; gives up on a draw after a bounded number of repeats, so a campaign whose
 * pairs are nearly all open returns fewer.
 */
export function yardstickPicks(
  candidates: CampaignCandidates,
  count: number,
  rng: Rng,
  taken: Set<string>,
): YardstickPick[] {
  const prompts = candidates.promptIds.length;
  const picks: YardstickPick[] = [];
  for (let tries = 0; picks.length < count && tries < 20 * count + 20; tries++) {
    const prompt = rng.int(prompts);
    const start = candidates.offsets[prompt];
    const size = candidates.offsets[prompt + 1] - start;
    if (size < 2) continue;
    const a = rng.int(size);
    const b = rng.intExcluding(size, a);
    const key = pairKey(prompt, start + a, start + b);
    if (taken.has(key)) continue;
    taken.add(key);
    picks.push({ prompt, firstRow: start + a, secondRow: start + b });
  }
  return picks;
}

/** Below this many yardstick labels the held-out set falls back to a hashed share of all labels. */
export const MIN_YARDSTICK_LABELS = 20;

export interface EvaluationSplit<T> {
  /** What the published model's held-out metrics are measured on. */
  readonly test: T[];
  /** What the evaluated model is fitted on (everything not in `test`). */
  readonly train: T[];
  /** 'yardstick': half of the uniformly drawn labels; 'hashed': a hashed share of all labels (biased). */
  readonly source: 'yardstick' | 'hashed';
  /** The other half of the yardstick labels: the uniform-only model's training set. */
  readonly uniformTrain: T[];
  /** Labels on actively chosen comparisons that are in `train`. */
  readonly activeTrain: T[];
}

/**
 * Splits a campaign's labels for evaluation. With enough yardstick labels, half of them (by a hash of
 * the label id, so a label stays on its side as the campaign grows) is the held-out set and the other
 * half trains the uniform-only baseline; otherwise `fallback` (the hashed split of all labels) is used.
 */
export function evaluationSplit<T extends { labelId: string; yardstick: boolean }>(
  observations: readonly T[],
  fallback: (all: readonly T[]) => { train: T[]; test: T[] },
): EvaluationSplit<T> {
  const yardstick = observations.filter((o) => o.yardstick);
  if (yardstick.length < MIN_YARDSTICK_LABELS) {
    const { train, test } = fallback(observations);
    return { train, test, source: 'hashed', uniformTrain: [], activeTrain: train.filter((o) => !o.yardstick) };
  }
  const test: T[] = [];
  const train: T[] = [];
  const uniformTrain: T[] = [];
  const activeTrain: T[] = [];
  for (const o of observations) {
    if (!o.yardstick) {
      train.push(o);
      activeTrain.push(o);
    } else if (hashFraction(`yardstick:${o.labelId}`) < 0.5) {
      test.push(o);
    } else {
      train.push(o);
      uniformTrain.push(o);
    }
  }
  return { train, test, source: 'yardstick', uniformTrain, activeTrain };
}

/**
 * The first `count` items by a hash of their label id: an equal-size subsample of the active labels
 * that does not depend on label order, to set against the uniform-only model on the same budget.
 */
export function hashedSubsample<T extends { labelId: string }>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return [...items]
    .map((item) => ({ item, key: hashFraction(`subsample:${item.labelId}`) }))
    .sort((a, b) => a.key - b.key)
    .slice(0, count)
    .map((x) => x.item);
}

/** Accuracy and log-loss of one model on the yardstick's held-out labels. */
export interface HeldOutScore {
  readonly trainSize: number;
  readonly accuracy: number | null;
  readonly logLoss: number | null;
}

/**
 * Did active selection pay off? The uniform-only model (fitted on the yardstick's training half) and a
 * model fitted on as many actively chosen labels, both scored on the same held-out yardstick labels.
 * Null when the split is not a yardstick split or the uniform half is too small to fit on.
 */
export async function compareWithUniform<T extends { labelId: string; yardstick: boolean }>(
  split: EvaluationSplit<T>,
  score: (train: readonly T[], test: readonly T[]) => Promise<{ accuracy: number | null; logLoss: number | null }>,
): Promise<{ uniformOnly: HeldOutScore; activeSameBudget: HeldOutScore } | null> {
  if (split.source !== 'yardstick' || split.uniformTrain.length < MIN_YARDSTICK_LABELS / 2) return null;
  const active = hashedSubsample(split.activeTrain, split.uniformTrain.length);
  if (active.length === 0) return null;
  const uniformOnly = await score(split.uniformTrain, split.test);
  const activeSameBudget = await score(active, split.test);
  return {
    uniformOnly: { trainSize: split.uniformTrain.length, ...uniformOnly },
    activeSameBudget: { trainSize: active.length, ...activeSameBudget },
  };
}
