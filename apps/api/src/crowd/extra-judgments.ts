/**
 * Asking one more labeler (issue 10 item 6c): which comparisons deserve another judgment once a fit
 * knows how far to trust each labeler and what the model predicts. Pure: the fit passes what it
 * estimated and gets back requests for ExtraJudgmentRepository.requestExtraJudgment.
 */

export type ExtraJudgmentReason = 'low_trust_labeler' | 'contradicts_model';

export interface JudgmentEvidence {
  readonly comparisonId: string;
  readonly labelerId: string;
  /** In the comparison's own order: 1 first preferred, 0 second, 0.5 tie. */
  readonly outcome: number;
}

export interface ExtraJudgmentOptions {
  /**
   * A comparison all of whose decisive judgments come from labelers the reliability model trusts
   * less than this (probability of agreeing with the truth) gets another judgment. Default 0.7:
   * between a coin flip (0.5) and the 0.85–0.9 honest labelers reach on real crowds.
   */
  readonly minTrust?: number;
  /**
   * A comparison whose majority contradicts a model at least this sure (P(first wins) ≥ it, or ≤ 1 − it)
   * gets another judgment. Default 0.9.
   */
  readonly confidentModel?: number;
}

export interface ExtraJudgmentCandidate {
  readonly comparisonId: string;
  readonly reason: ExtraJudgmentReason;
}

/**
 * One request per comparison at most (low trust before contradiction). Ties and labelers without an
 * estimate never trigger a request; comparisons without decisive judgments are left alone.
 *
 * @param trust labeler id → probability they agree with the truth (undefined: not estimated)
 * @param firstWins comparison id → the model's P(first response preferred) (undefined: no prediction)
 */
export function extraJudgmentCandidates(
  judgments: readonly JudgmentEvidence[],
  trust: (labelerId: string) => number | undefined,
  firstWins: (comparisonId: string) => number | undefined,
  options: ExtraJudgmentOptions = {},
): ExtraJudgmentCandidate[] {
  const minTrust = options.minTrust ?? 0.7;
  const confident = options.confidentModel ?? 0.9;
  const byComparison = new Map<string, { first: number; second: number; trusted: boolean; judged: boolean }>();
  for (const j of judgments) {
    if (j.outcome !== 0 && j.outcome !== 1) continue;
    const entry = byComparison.get(j.comparisonId) ?? { first: 0, second: 0, trusted: false, judged: false };
    if (j.outcome === 1) entry.first++;
    else entry.second++;
    const t = trust(j.labelerId);
    if (t === undefined || t >= minTrust) entry.trusted = true;
    entry.judged = true;
    byComparison.set(j.comparisonId, entry);
  }
  const out: ExtraJudgmentCandidate[] = [];
  for (const [comparisonId, votes] of byComparison) {
    if (!votes.trusted) {
      out.push({ comparisonId, reason: 'low_trust_labeler' });
      continue;
    }
    const p = firstWins(comparisonId);
    if (p === undefined || votes.first === votes.second) continue;
    const majorityFirst = votes.first > votes.second;
    if ((majorityFirst && p <= 1 - confident) || (!majorityFirst && p >= confident)) {
      out.push({ comparisonId, reason: 'contradicts_model' });
    }
  }
  return out;
}
