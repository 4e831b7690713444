/**
 * Policy extraction: what the campaign outputs after the label budget (algorithms.md §3 step 5).
 * Every entry says how sure the model is about its pick, so a reviewer can see which prompts
 * still need labels.
 */
import type { Posterior, PreferenceModel } from '@borda/reward-model';
import { validateCandidateSet } from './candidates';
import type { CandidateSet } from './types';

export interface PolicyEntry {
  readonly prompt: number;
  /** The chosen response (local index); −1 for a prompt without responses. */
  readonly response: number;
  /** Posterior mean, std and β-bounds of the chosen response (NaN without responses). */
  readonly mean: number;
  readonly std: number;
  readonly lcb: number;
  readonly ucb: number;
  /** Runner-up by the policy's own criterion; −1 when the prompt has a single response. */
  readonly runnerUp: number;
  /** criterion(chosen) − criterion(runner-up) (mean for greedy, LCB for pessimistic); Infinity without a runner-up. */
  readonly margin: number;
  /**
   * LCB(chosen) − max over the other responses of their UCB. Positive means the choice is the best
   * response at confidence β; Infinity without a runner-up.
   */
  readonly lcbMargin: number;
}

export interface PolicyOptions {
  /** β of the reported bounds (default 2). */
  readonly beta?: number;
  /**
   * `model.predict(candidates.features)`, when the caller already has it: a service deriving
   * several policies from one model predicts the (large) candidate set once, not once per policy.
   */
  readonly posterior?: Posterior;
}

function betaOf(beta: number | undefined, where: string): number {
  const b = beta ?? 2;
  if (typeof b !== 'number' || !Number.isFinite(b) || b < 0) {
    throw new RangeError(`${where}: beta must be a finite number ≥ 0, got ${beta}`);
  }
  return b;
}

function checkInputs(model: PreferenceModel, candidates: CandidateSet, where: string): void {
  validateCandidateSet(candidates);
  if (!model || typeof model.predict !== 'function') throw new TypeError(`${where}: model must be a PreferenceModel`);
  if (model.dimension !== candidates.features.cols) {
    throw new RangeError(
      `${where}: the model takes ${model.dimension} feature columns but candidates.features has ${candidates.features.cols}`,
    );
  }
}

/** The posterior at every candidate row: the caller's, checked against the candidates, or predicted now. */
function posteriorOf(
  model: PreferenceModel,
  candidates: CandidateSet,
  given: Posterior | undefined,
  where: string,
): Posterior {
  if (given === undefined) return model.predict(candidates.features);
  const rows = candidates.features.rows;
  if (given.mean?.length !== rows || given.std?.length !== rows) {
    throw new RangeError(
      `${where}: posterior has ${given.mean?.length} means and ${given.std?.length} stds, expected ${rows}`,
    );
  }
  return given;
}

/** Builds one entry per prompt, choosing argmax of `criterion` (lowest index on ties). */
function extract(
  candidates: CandidateSet,
  mean: Float64Array,
  std: Float64Array,
  beta: number,
  criterion: (row: number) => number,
): PolicyEntry[] {
  const { offsets } = candidates;
  const out: PolicyEntry[] = [];
  for (let p = 0; p + 1 < offsets.length; p++) {
    const start = offsets[p];
    const end = offsets[p + 1];
    if (end === start) {
      out.push({
        prompt: p,
        response: -1,
        mean: NaN,
        std: NaN,
        lcb: NaN,
        ucb: NaN,
        runnerUp: -1,
        margin: NaN,
        lcbMargin: NaN,
      });
      continue;
    }
    let best = start;
    for (let r = start + 1; r < end; r++) if (criterion(r) > criterion(best)) best = r;
    let second = -1;
    let otherUcb = -Infinity;
    for (let r = start; r < end; r++) {
      if (r === best) continue;
      if (second < 0 || criterion(r) > criterion(second)) second = r;
      otherUcb = Math.max(otherUcb, mean[r] + beta * std[r]);
    }
    const lcb = mean[best] - beta * std[best];
    out.push({
      prompt: p,
      response: best - start,
      mean: mean[best],
      std: std[best],
      lcb,
      ucb: mean[best] + beta * std[best],
      runnerUp: second < 0 ? -1 : second - start,
      margin: second < 0 ? Infinity : criterion(best) - criterion(second),
      lcbMargin: second < 0 ? Infinity : lcb - otherUcb,
    });
  }
  return out;
}

/** π̂(x) = argmax_a μ(x, a): the output rule every strategy is compared with (algorithms.md §4). */
export function greedyPolicy(
  model: PreferenceModel,
  candidates: CandidateSet,
  options: PolicyOptions = {},
): PolicyEntry[] {
  checkInputs(model, candidates, 'greedyPolicy');
  const beta = betaOf(options.beta, 'greedyPolicy');
  const { mean, std } = posteriorOf(model, candidates, options.posterior, 'greedyPolicy');
  return extract(candidates, mean, std, beta, (r) => mean[r]);
}

/** π̂(x) = argmax_a LCB(x, a) = argmax_a μ − βσ: the answer with the best guaranteed value. */
export function pessimisticPolicy(
  model: PreferenceModel,
  candidates: CandidateSet,
  beta = 2,
  posterior?: Posterior,
): PolicyEntry[] {
  checkInputs(model, candidates, 'pessimisticPolicy');
  const b = betaOf(beta, 'pessimisticPolicy');
  const { mean, std } = posteriorOf(model, candidates, posterior, 'pessimisticPolicy');
  return extract(candidates, mean, std, b, (r) => mean[r] - b * std[r]);
}

export interface SoftPolicyOptions {
  /** Temperature β > 0 of π(a|x) ∝ π_ref(a|x) exp(r̂(x, a) / β); Infinity returns the reference. */
  readonly temperature: number;
  /**
   * Per-arm reference probabilities π_ref(a|x) in candidate-row order. Each prompt's values must be
   * finite, ≥ 0 and not all 0; they are normalised per prompt. Uniform when absent.
   */
  readonly reference?: ArrayLike<number>;
  /** β of the reported bounds (default 2). */
  readonly beta?: number;
  /** The model's posterior at the candidates, if already computed (see PolicyOptions.posterior). */
  readonly posterior?: Posterior;
}

export interface SoftPolicy {
  /** π(a|x) per arm, candidate-row order; each prompt's values sum to 1. */
  readonly probabilities: Float64Array;
  /** Per prompt: the most probable response (ties to the lower index) with its confidence. */
  readonly entries: (PolicyEntry & { readonly probability: number })[];
}

/**
 * The KL-regularised policy π(a|x) ∝ π_ref(a|x) exp(r̂(x, a)/β), computed in log space with the
 * log-sum-exp shift so large r̂/β neither overflows nor rounds every weight to 0. β → 0 gives the
 * greedy policy, β → ∞ the reference.
 */
export function softPolicy(model: PreferenceModel, candidates: CandidateSet, options: SoftPolicyOptions): SoftPolicy {
  checkInputs(model, candidates, 'softPolicy');
  const temperature = options?.temperature;
  if (typeof temperature !== 'number' || Number.isNaN(temperature) || !(temperature > 0)) {
    throw new RangeError(`softPolicy: temperature must be a number > 0, got ${temperature}`);
  }
  const beta = betaOf(options.beta, 'softPolicy');
  const { offsets } = candidates;
  const rows = candidates.features.rows;
  const reference = options.reference;
  if (reference !== undefined && reference.length !== rows) {
    throw new RangeError(`softPolicy: reference has ${reference.length} values, expected one per arm (${rows})`);
  }
  const { mean, std } = posteriorOf(model, candidates, options.posterior, 'softPolicy');
  const logits = new Float64Array(rows);
  const probabilities = new Float64Array(rows);
  for (let p = 0; p + 1 < offsets.length; p++) {
    const start = offsets[p];
    const end = offsets[p + 1];
    if (end === start) continue;
    let refSum = 0;
    for (let r = start; r < end; r++) {
      const ref = reference === undefined ? 1 : reference[r];
      if (!Number.isFinite(ref) || ref < 0) {
        throw new RangeError(
          `softPolicy: reference of prompt ${p}, response ${r - start} is ${ref}, not a probability`,
        );
      }
      refSum += ref;
      const scaled = temperature === Infinity ? 0 : mean[r] / temperature;
      logits[r] = ref === 0 ? -Infinity : Math.log(ref) + scaled;
    }
    if (!(refSum > 0)) throw new RangeError(`softPolicy: reference of prompt ${p} is 0 for every response`);
    let max = -Infinity;
    for (let r = start; r < end; r++) max = Math.max(max, logits[r]);
    let sum = 0;
    for (let r = start; r < end; r++) {
      probabilities[r] = logits[r] === -Infinity ? 0 : Math.exp(logits[r] - max);
      sum += probabilities[r];
    }
    for (let r = start; r < end; r++) probabilities[r] /= sum;
  }
  const entries = extract(candidates, mean, std, beta, (r) => probabilities[r]).map((e) => ({
    ...e,
    probability: e.response < 0 ? NaN : probabilities[offsets[e.prompt] + e.response],
  }));
  return { probabilities, entries };
}

/** The chosen response per prompt (−1 where a prompt has none), e.g. to score a policy against a true reward. */
export function policyResponses(entries: readonly Pick<PolicyEntry, 'response'>[]): Int32Array {
  return Int32Array.from(entries, (e) => e.response);
}
