/**
 * The worst-case gap certificate: while the confidence bounds hold, the pessimistic policy
 * π(x) = argmax_a LCB(x, a) loses at most max_a UCB(x, a) − max_a LCB(x, a) against the best
 * response of prompt x, because f(x, a*) ≤ max UCB and f(x, π(x)) ≥ LCB(x, π(x)) = max LCB. The
 * maximum over prompts is the AE-Borda quantity §3 drives down, and a bound on SubOpt_max in the
 * model's units (Borda score for Borda models, reward for Bradley–Terry models).
 *
 * Prompts with a single response are left out: their only response is optimal by definition.
 */
import type { PreferenceModel } from '@borda/reward-model';
import { promptBound } from './bounds';
import { selectablePrompts, validateCandidateSet } from './candidates';
import type { CandidateSet } from './types';

export interface CertificateOptions {
  /** Confidence width β (default 2). */
  readonly beta?: number;
  /** How many of the widest-gap prompts to list (default 10). */
  readonly top?: number;
}

export interface CertificatePrompt {
  readonly prompt: number;
  /** max_a UCB − max_a LCB of this prompt. */
  readonly gap: number;
  /** The pessimistic pick argmax_a LCB (the response the gap is a guarantee for). */
  readonly bestArm: number;
  readonly bestMean: number;
  readonly bestStd: number;
  /** max_a LCB = LCB of bestArm. */
  readonly maxLcb: number;
  /** max_a UCB: the most any response of the prompt may still be worth. */
  readonly maxUcb: number;
  /** argmax_a UCB: the response that could still beat bestArm by the most. */
  readonly optimisticArm: number;
}

export interface GapCertificate {
  /** max over prompts of the gap; 0 when no prompt has two responses. */
  readonly worstCaseGap: number;
  /** Average gap over the certified prompts (a bound on the mean suboptimality). */
  readonly meanGap: number;
  readonly beta: number;
  /** Prompts with at least two responses (the ones the certificate covers). */
  readonly certifiedPrompts: number;
  /** The `top` widest-gap prompts, widest first (ties by lower prompt index). */
  readonly prompts: CertificatePrompt[];
}

export function worstCaseGapCertificate(
  model: PreferenceModel,
  candidates: CandidateSet,
  options: CertificateOptions = {},
): GapCertificate {
  validateCandidateSet(candidates);
  const beta = options.beta ?? 2;
  const top = options.top ?? 10;
  if (typeof beta !== 'number' || !Number.isFinite(beta) || beta < 0) {
    throw new RangeError(`worstCaseGapCertificate: beta must be a finite number ≥ 0, got ${beta}`);
  }
  if (!Number.isInteger(top) || top < 0) {
    throw new RangeError(`worstCaseGapCertificate: top must be an integer ≥ 0, got ${top}`);
  }
  if (model.dimension !== candidates.features.cols) {
    throw new RangeError(
      `worstCaseGapCertificate: the model takes ${model.dimension} feature columns but candidates.features has ${candidates.features.cols}`,
    );
  }
  const { mean, std } = model.predict(candidates.features);
  const prompts = selectablePrompts(candidates);
  const rows: CertificatePrompt[] = [];
  let worst = 0;
  let sum = 0;
  for (const p of prompts) {
    const start = candidates.offsets[p];
    const b = promptBound(mean, std, start, candidates.offsets[p + 1], beta);
    worst = Math.max(worst, b.gap);
    sum += b.gap;
    rows.push({
      prompt: p,
      gap: b.gap,
      bestArm: b.lcbArm,
      bestMean: mean[start + b.lcbArm],
      bestStd: std[start + b.lcbArm],
      maxLcb: b.maxLcb,
      maxUcb: b.maxUcb,
      optimisticArm: b.ucbArm,
    });
  }
  rows.sort((u, v) => v.gap - u.gap || u.prompt - v.prompt);
  return {
    worstCaseGap: worst,
    meanGap: prompts.length > 0 ? sum / prompts.length : 0,
    beta,
    certifiedPrompts: prompts.length,
    prompts: rows.slice(0, top),
  };
}

/** A plain-text report of a certificate (for logs and the CLI). */
export function formatCertificate(certificate: GapCertificate, promptLabels?: readonly string[]): string {
  const f = (v: number) => v.toFixed(4);
  const lines = [
    `worst-case gap ${f(certificate.worstCaseGap)} (β = ${certificate.beta}, mean gap ${f(certificate.meanGap)}, ` +
      `${certificate.certifiedPrompts} prompts with ≥ 2 responses)`,
    'While the β-confidence bounds hold, answering each prompt with its best-LCB response loses at most the gap.',
    'prompt\tgap\tbest\tmean ± std\tmax LCB\tmax UCB (arm)',
  ];
  for (const p of certificate.prompts) {
    const name = promptLabels?.[p.prompt] ?? String(p.prompt);
    lines.push(
      `${name}\t${f(p.gap)}\t${p.bestArm}\t${f(p.bestMean)} ± ${f(p.bestStd)}\t${f(p.maxLcb)}\t${f(p.maxUcb)} (${p.optimisticArm})`,
    );
  }
  return lines.join('\n');
}
