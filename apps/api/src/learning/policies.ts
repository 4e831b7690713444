/**
 * PolicyFit's computation: greedy, pessimistic and KL-soft policies of a reward model over the
 * candidates and, where reference log-probabilities exist, a DPO-trained policy network.
 */
import type { PolicyResponseScore, PolicySummary } from '@borda/api-contract';
import { greedyPolicy, pessimisticPolicy, promptBound, softPolicy } from '@borda/dueling-bandit';
import { DpoPolicy, type DpoPolicyOptions, type PreferenceModel } from '@borda/reward-model';
import type { CampaignCandidates } from './candidates';
import type { LabeledObservation } from './observations';

export interface PolicyEntryRow {
  readonly promptId: string;
  readonly greedyResponseId: string;
  readonly pessimisticResponseId: string;
  readonly softResponseId: string;
  readonly dpoResponseId: string | null;
  readonly mean: number;
  readonly std: number;
  readonly lcb: number;
  readonly ucb: number;
  readonly lcbMargin: number;
  readonly gap: number;
  readonly responses: PolicyResponseScore[];
}

export type DpoOptions = Omit<DpoPolicyOptions, 'dimension'>;

/** Prompts (candidate indices) every response of which has a reference log-probability. */
export function promptsWithReference(candidates: CampaignCandidates): boolean[] {
  const { offsets, referenceLogprobs } = candidates;
  const out: boolean[] = [];
  for (let p = 0; p + 1 < offsets.length; p++) {
    let all = true;
    for (let r = offsets[p]; r < offsets[p + 1]; r++) if (!Number.isFinite(referenceLogprobs[r])) all = false;
    out.push(all);
  }
  return out;
}

/** π_ref per row: exp(log π_ref) normalised per prompt where every response has one, else uniform. */
export function referenceProbabilities(candidates: CampaignCandidates, withRef: readonly boolean[]): Float64Array {
  const { offsets, referenceLogprobs } = candidates;
  const out = new Float64Array(candidates.features.rows).fill(1);
  for (let p = 0; p < withRef.length; p++) {
    if (!withRef[p]) continue;
    let max = -Infinity;
    for (let r = offsets[p]; r < offsets[p + 1]; r++) max = Math.max(max, referenceLogprobs[r]);
    let sum = 0;
    for (let r = offsets[p]; r < offsets[p + 1]; r++) sum += out[r] = Math.exp(referenceLogprobs[r] - max);
    for (let r = offsets[p]; r < offsets[p + 1]; r++) out[r] /= sum;
  }
  return out;
}

export interface PolicyResult {
  readonly entries: PolicyEntryRow[];
  readonly summary: PolicySummary;
  readonly dpoParameters: unknown;
}

export async function computePolicies(
  model: PreferenceModel,
  candidates: CampaignCandidates,
  options: { beta: number; softTemperature: number; dpo: DpoOptions; judgments: readonly LabeledObservation[] },
): Promise<PolicyResult> {
  const { beta, softTemperature } = options;
  const { offsets, responseIds, promptIds } = candidates;
  // One prediction over the whole candidate set serves all three policies and the per-response scores.
  const posterior = model.predict(candidates.features);
  const { mean, std } = posterior;
  const greedy = greedyPolicy(model, candidates, { beta, posterior });
  const pessimistic = pessimisticPolicy(model, candidates, beta, posterior);
  const withRef = promptsWithReference(candidates);
  const soft = softPolicy(model, candidates, {
    temperature: softTemperature,
    beta,
    reference: referenceProbabilities(candidates, withRef),
    posterior,
  });

  let dpo: { probabilities: Float64Array; summary: PolicySummary['dpo']; parameters: unknown } | null = null;
  if (withRef.some(Boolean)) {
    const pairs = options.judgments
      .filter((o) => o.outcome !== 0.5 && withRef[promptOfRow(offsets, o.firstRow)])
      .map((o) =>
        o.outcome === 1 ? { chosen: o.first, rejected: o.second } : { chosen: o.second, rejected: o.first },
      );
    if (pairs.length > 0) {
      const policy = new DpoPolicy({ dimension: candidates.features.cols, ...options.dpo });
      const report = await policy.fit(pairs);
      const refLogprobs = Float64Array.from(candidates.referenceLogprobs, (v) => (Number.isFinite(v) ? v : 0));
      dpo = {
        probabilities: policy.probabilities(candidates, refLogprobs),
        summary: { trainPairs: pairs.length, finalLoss: report.finalLoss, beta: policy.options.beta },
        parameters: policy.toJSON(),
      };
    }
  }

  const entries: PolicyEntryRow[] = [];
  let confident = 0;
  const agree = { pessimistic: 0, soft: 0, dpo: 0, dpoPrompts: 0 };
  for (let p = 0; p < promptIds.length; p++) {
    const start = offsets[p];
    const g = greedy[p];
    let dpoBest = -1;
    const responses: PolicyResponseScore[] = [];
    for (let r = start; r < offsets[p + 1]; r++) {
      const dpoProbability = dpo && withRef[p] ? dpo.probabilities[r] : null;
      if (dpoProbability !== null && (dpoBest < 0 || dpoProbability > dpo!.probabilities[dpoBest])) dpoBest = r;
      responses.push({
        responseId: responseIds[r],
        ordinal: candidates.responseOrdinals[r],
        mean: mean[r],
        std: std[r],
        lcb: mean[r] - beta * std[r],
        ucb: mean[r] + beta * std[r],
        softProbability: soft.probabilities[r],
        dpoProbability,
      });
    }
    if (g.lcbMargin > 0) confident++;
    if (pessimistic[p].response === g.response) agree.pessimistic++;
    if (soft.entries[p].response === g.response) agree.soft++;
    if (dpoBest >= 0) {
      agree.dpoPrompts++;
      if (dpoBest - start === g.response) agree.dpo++;
    }
    entries.push({
      promptId: promptIds[p],
      greedyResponseId: responseIds[start + g.response],
      pessimisticResponseId: responseIds[start + pessimistic[p].response],
      softResponseId: responseIds[start + soft.entries[p].response],
      dpoResponseId: dpoBest >= 0 ? responseIds[dpoBest] : null,
      mean: g.mean,
      std: g.std,
      lcb: g.lcb,
      ucb: g.ucb,
      lcbMargin: g.lcbMargin,
      gap: promptBound(mean, std, start, offsets[p + 1], beta).gap,
      responses,
    });
  }
  const n = Math.max(1, promptIds.length);
  const summary: PolicySummary = {
    prompts: promptIds.length,
    confidentPrompts: confident,
    agreement: {
      pessimistic: agree.pessimistic / n,
      soft: agree.soft / n,
      dpo: dpo && agree.dpoPrompts > 0 ? agree.dpo / agree.dpoPrompts : null,
    },
    softTemperature,
    beta,
    dpo: dpo?.summary ?? null,
  };
  return { entries, summary, dpoParameters: dpo?.parameters ?? null };
}

function promptOfRow(offsets: Int32Array, row: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
