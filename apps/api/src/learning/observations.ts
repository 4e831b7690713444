/**
 * Training data from labels. A label's outcome is relative to its comparison's first response:
 * 1 first preferred, 0 second preferred, 0.5 tie. `both_bad` and skips (outcome null) are NOT
 * training data: "both are bad" says nothing about which of the two is better, and a skip says
 * nothing at all — the repositories never load them.
 */
import type { PairObservation } from '@borda/reward-model';
import type { CampaignCandidates } from './candidates';

export interface JudgmentRow {
  readonly id: string;
  readonly firstResponseId: string;
  readonly secondResponseId: string;
  readonly outcome: number;
  /** The label is on a yardstick comparison (drawn uniformly at random). */
  readonly yardstick: boolean;
}

export interface LabeledObservation extends PairObservation {
  readonly labelId: string;
  readonly yardstick: boolean;
  readonly firstRow: number;
  readonly secondRow: number;
}

/** Rows of the two responses as views into the candidate features; judgments on unknown responses are dropped. */
export function buildObservations(
  judgments: readonly JudgmentRow[],
  candidates: CampaignCandidates,
): LabeledObservation[] {
  const { cols, data } = candidates.features;
  const out: LabeledObservation[] = [];
  for (const j of judgments) {
    const a = candidates.rowOfResponse.get(j.firstResponseId);
    const b = candidates.rowOfResponse.get(j.secondResponseId);
    if (a === undefined || b === undefined || !(j.outcome >= 0 && j.outcome <= 1)) continue;
    out.push({
      labelId: j.id,
      yardstick: j.yardstick,
      firstRow: a,
      secondRow: b,
      first: data.subarray(a * cols, (a + 1) * cols),
      second: data.subarray(b * cols, (b + 1) * cols),
      outcome: j.outcome,
    });
  }
  return out;
}

/** FNV-1a of a string, as a fraction in [0, 1): a stable per-label coin. */
export function hashFraction(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 2 ** 32;
}

export const HELD_OUT_FRACTION = 0.15;
/** Below this many judgments nothing is held out (a test split of 2 labels says nothing). */
export const MIN_LABELS_FOR_SPLIT = 20;

/** Deterministic train/test split by a hash of the label id: the same label is always on the same side. */
export function splitObservations<T extends { labelId: string }>(
  observations: readonly T[],
): { train: T[]; test: T[] } {
  if (observations.length < MIN_LABELS_FOR_SPLIT) return { train: [...observations], test: [] };
  const train: T[] = [];
  const test: T[] = [];
  for (const o of observations) (hashFraction(o.labelId) < HELD_OUT_FRACTION ? test : train).push(o);
  if (train.length === 0) return { train: [...observations], test: [] };
  return { train, test };
}
