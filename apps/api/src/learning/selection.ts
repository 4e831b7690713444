/**
 * Pure pieces of ComparisonSelect: conditioning a model on pending comparisons (GP-BUCB across
 * selection rounds), the deterministic selection seed, and dropping queries that repeat an open one.
 */
import type { Query } from '@borda/dueling-bandit';
import type { PairObservation, PreferenceModel } from '@borda/reward-model';
import type { CampaignCandidates } from './candidates';
import { isBordaKind } from './model-factory';

export interface PendingPair {
  readonly promptIndex: number;
  readonly firstRow: number;
  readonly secondRow: number;
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/**
 * Conditions `model` in place on pending (not yet fitted) queries without knowing their outcomes:
 * each is absorbed with the outcome the model itself predicts (Borda: its mean at the first row,
 * clamped to [0, 1]; Bradley–Terry: σ(μ_first − μ_second)). A Gaussian posterior's variance does not
 * depend on the outcome and the mean barely moves, so this is GP-BUCB's hallucination: new picks
 * see the shrunken uncertainty and do not pile onto pending prompts. Neural models are skipped (an
 * update retrains the network); exact duplicates are still filtered by `isDuplicate`.
 */
export function hallucinatePending(
  model: PreferenceModel,
  candidates: CampaignCandidates,
  pending: readonly PendingPair[],
): number {
  if (pending.length === 0 || model.kind === 'neural-bt') return 0;
  const { cols, data } = candidates.features;
  const row = (r: number) => data.subarray(r * cols, (r + 1) * cols);
  const rows = new Float64Array(pending.length * 2 * cols);
  pending.forEach((p, i) => {
    rows.set(row(p.firstRow), 2 * i * cols);
    rows.set(row(p.secondRow), (2 * i + 1) * cols);
  });
  const { mean } = model.predict({ rows: 2 * pending.length, cols, data: rows });
  const borda = isBordaKind(model.kind);
  const observations: PairObservation[] = pending.map((p, i) => ({
    first: row(p.firstRow),
    second: row(p.secondRow),
    outcome: borda ? Math.min(1, Math.max(0, mean[2 * i])) : sigmoid(mean[2 * i] - mean[2 * i + 1]),
  }));
  model.update(observations);
  return observations.length;
}

/** Key of a (prompt, unordered pair) query. */
export function pairKey(promptIndex: number, rowA: number, rowB: number): string {
  return rowA < rowB ? `${promptIndex}:${rowA}:${rowB}` : `${promptIndex}:${rowB}:${rowA}`;
}

/**
 * The strategy's queries in its order, without those repeating an open comparison (or an earlier
 * query of the batch), mapped to candidate rows; at most `limit`, the kept ones added to `taken`.
 */
export function distinctQueries(
  queries: readonly Query[],
  candidates: CampaignCandidates,
  taken: Set<string>,
  limit = Infinity,
): (Query & { firstRow: number; secondRow: number })[] {
  const out: (Query & { firstRow: number; secondRow: number })[] = [];
  for (const q of queries) {
    if (out.length >= limit) break;
    if (q.first === q.second) continue;
    const start = candidates.offsets[q.prompt];
    const firstRow = start + q.first;
    const secondRow = start + q.second;
    const key = pairKey(q.prompt, firstRow, secondRow);
    if (taken.has(key)) continue;
    taken.add(key);
    out.push({ ...q, firstRow, secondRow });
  }
  return out;
}

/** The Rng seed of a selection round: a mix of the campaign seed and the round number. */
export function selectionSeed(campaignSeed: number, round: number): number {
  let h = Math.imul((campaignSeed | 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (round + 0x632be5ab), 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** How many more comparisons the budget can absorb (each takes up to `redundancy` judgments). */
export function comparisonsAllowed(
  budget: number,
  labelCount: number,
  outstandingLabels: number,
  redundancy: number,
): number {
  const remaining = budget - labelCount - outstandingLabels;
  return remaining <= 0 ? 0 : Math.ceil(remaining / Math.max(1, redundancy));
}
