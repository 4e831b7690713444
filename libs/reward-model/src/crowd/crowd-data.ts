/**
 * The crowd's input types and their validated, indexed form: judgments become typed arrays keyed by
 * comparison and labeler index, so the EM loops touch no objects and no strings.
 */
import type { Confusion } from './labeler-confusion';

/** What the labeler answered, in the sides as shown on their screen. */
export type JudgmentChoice = 'left' | 'right' | 'tie' | 'both-bad';

/** Which of the comparison's two responses. */
export type ResponseSide = 'first' | 'second';

export interface CrowdJudgment {
  /** Id of the comparison judged (one of the `CrowdComparison` ids). */
  readonly comparison: string;
  readonly labeler: string;
  /** Which response was shown on the left (the service randomises it per lease). */
  readonly shownLeft: ResponseSide;
  readonly choice: JudgmentChoice;
  /**
   * The known better response when the comparison is a gold question. Gold fixes the comparison's
   * latent truth; every judgment of a comparison that carries gold must carry the same answer.
   */
  readonly gold?: ResponseSide;
}

export interface CrowdComparison {
  readonly id: string;
  /** Joint feature row of the comparison's first response (the reward model's input). */
  readonly first: ArrayLike<number>;
  readonly second: ArrayLike<number>;
}

/** Indexed judgments. `saysLeft` is 1 (left), 0 (right) or −1 (tie or both-bad: no direction). */
export interface IndexedCrowd {
  readonly comparisonIds: readonly string[];
  readonly labelerIds: readonly string[];
  readonly comparisonOf: Int32Array;
  readonly labelerOf: Int32Array;
  readonly firstShownLeft: Uint8Array;
  readonly saysLeft: Int8Array;
  /** Per comparison: 1 (first is gold), 0 (second is gold) or NaN (no gold). */
  readonly gold: Float64Array;
  /** Judgment indices of each comparison (CSR): judgments[start[c] .. start[c + 1]). */
  readonly byComparisonStart: Int32Array;
  readonly byComparison: Int32Array;
  /** Comparisons the EM learns from: at least one directional judgment, or gold. */
  readonly active: Int32Array;
}

const CHOICES = new Set<JudgmentChoice>(['left', 'right', 'tie', 'both-bad']);

export function indexCrowd(comparisons: readonly CrowdComparison[], judgments: readonly CrowdJudgment[]): IndexedCrowd {
  const comparisonIndex = new Map<string, number>();
  comparisons.forEach((c, i) => {
    if (comparisonIndex.has(c.id)) throw new RangeError(`comparison id '${c.id}' appears twice`);
    comparisonIndex.set(c.id, i);
  });
  const labelerIndex = new Map<string, number>();
  const n = judgments.length;
  const comparisonOf = new Int32Array(n);
  const labelerOf = new Int32Array(n);
  const firstShownLeft = new Uint8Array(n);
  const saysLeft = new Int8Array(n);
  const gold = new Float64Array(comparisons.length).fill(NaN);
  judgments.forEach((j, i) => {
    const c = comparisonIndex.get(j.comparison);
    if (c === undefined) throw new RangeError(`judgments[${i}] names unknown comparison '${j.comparison}'`);
    if (!CHOICES.has(j.choice)) throw new RangeError(`judgments[${i}].choice is '${String(j.choice)}'`);
    if (j.shownLeft !== 'first' && j.shownLeft !== 'second') {
      throw new RangeError(`judgments[${i}].shownLeft must be 'first' or 'second', got '${String(j.shownLeft)}'`);
    }
    let k = labelerIndex.get(j.labeler);
    if (k === undefined) {
      k = labelerIndex.size;
      labelerIndex.set(j.labeler, k);
    }
    comparisonOf[i] = c;
    labelerOf[i] = k;
    firstShownLeft[i] = j.shownLeft === 'first' ? 1 : 0;
    saysLeft[i] = j.choice === 'left' ? 1 : j.choice === 'right' ? 0 : -1;
    if (j.gold !== undefined) {
      if (j.gold !== 'first' && j.gold !== 'second')
        throw new RangeError(`judgments[${i}].gold is '${String(j.gold)}'`);
      const g = j.gold === 'first' ? 1 : 0;
      if (!Number.isNaN(gold[c]) && gold[c] !== g) {
        throw new RangeError(`comparison '${j.comparison}' has conflicting gold answers`);
      }
      gold[c] = g;
    }
  });
  const counts = new Int32Array(comparisons.length + 1);
  for (let i = 0; i < n; i++) counts[comparisonOf[i] + 1]++;
  for (let c = 0; c < comparisons.length; c++) counts[c + 1] += counts[c];
  const byComparison = new Int32Array(n);
  const fill = counts.slice(0, comparisons.length);
  for (let i = 0; i < n; i++) byComparison[fill[comparisonOf[i]]++] = i;
  const active: number[] = [];
  for (let c = 0; c < comparisons.length; c++) {
    let directional = !Number.isNaN(gold[c]);
    for (let p = counts[c]; p < counts[c + 1] && !directional; p++) directional = saysLeft[byComparison[p]] >= 0;
    if (directional) active.push(c);
  }
  return {
    comparisonIds: comparisons.map((c) => c.id),
    labelerIds: [...labelerIndex.keys()],
    comparisonOf,
    labelerOf,
    firstShownLeft,
    saysLeft,
    gold,
    byComparisonStart: counts,
    byComparison,
    active: Int32Array.from(active),
  };
}

/** Whether a directional judgment picked the comparison's first response. */
export function saysFirst(saysLeft: number, firstShownLeft: number): boolean {
  return saysLeft === firstShownLeft;
}

/**
 * log P(answer | first truly better) − log P(answer | second truly better): the evidence, in nats, a
 * judgment adds to the log-odds that the first response is better (0 for ties and both-bad).
 * If the first response is better, the better one is on the left iff it was shown on the left.
 */
export function judgmentEvidence(confusion: Confusion, saysLeft: number, firstShownLeft: number): number {
  if (saysLeft < 0) return 0;
  const { a, b } = confusion;
  // P(says left | first better) and P(says left | second better).
  const leftIfFirst = firstShownLeft ? a : b;
  const leftIfSecond = firstShownLeft ? b : a;
  return saysLeft
    ? Math.log(leftIfFirst) - Math.log(leftIfSecond)
    : Math.log1p(-leftIfFirst) - Math.log1p(-leftIfSecond);
}

/** log P(answer | truth) for truth = first better (`firstBetter`) or second better. */
export function judgmentLogLikelihood(
  confusion: Confusion,
  saysLeft: number,
  firstShownLeft: number,
  firstBetter: boolean,
): number {
  if (saysLeft < 0) return 0;
  const truthLeft = firstBetter === (firstShownLeft === 1);
  const pLeft = truthLeft ? confusion.a : confusion.b;
  return saysLeft ? Math.log(pLeft) : Math.log1p(-pLeft);
}
