/**
 * How much a new policy version changes the previous one's greedy picks, and what the new model thinks
 * the change is worth. A few dozen labels should move few picks; a version that changes many picks for
 * little estimated gain is a sign of an unstable model (docs/algorithms.md §3.3), and the dashboard
 * shows it per version.
 */
import type { PolicyChurn } from '@borda/api-contract';
import type { PolicyEntryRow } from './policies';

/**
 * `previous`: the earlier version's greedy pick per prompt id. Prompts new in this version are not
 * compared. The gain of a changed prompt is μ_new(new pick) − μ_new(old pick) ≥ 0 under the new model
 * (its greedy pick maximises μ_new); `estimatedGain` averages it over every compared prompt, so it is
 * the value per prompt the new model expects from switching.
 */
export function policyChurn(
  previous: { readonly version: number; readonly picks: ReadonlyMap<string, string> } | null,
  entries: readonly PolicyEntryRow[],
  units: 'borda' | 'reward',
): PolicyChurn | null {
  if (!previous) return null;
  let compared = 0;
  let changed = 0;
  let gain = 0;
  for (const entry of entries) {
    const old = previous.picks.get(entry.promptId);
    if (old === undefined) continue;
    compared++;
    if (old === entry.greedyResponseId) continue;
    changed++;
    const oldScore = entry.responses.find((r) => r.responseId === old);
    // The old pick can be gone only if its response left the candidate set; then nothing to price.
    if (oldScore) gain += entry.mean - oldScore.mean;
  }
  return {
    previousVersion: previous.version,
    comparedPrompts: compared,
    changedPrompts: changed,
    changedShare: compared > 0 ? changed / compared : 0,
    estimatedGain: compared > 0 ? gain / compared : 0,
    meanGainWhereChanged: changed > 0 ? gain / changed : 0,
    units,
  };
}
