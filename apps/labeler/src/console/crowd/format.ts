import type { EstimateView, LabelerFlagReason, RateInterval } from '@borda/api-contract';

const percent = (x: number) => `${Math.round(x * 100)} %`;

/** "83 % (61–94 %), 10/12" or "no gold yet". */
export function formatAccuracy(r: RateInterval): string {
  if (r.trials === 0 || r.rate === null) return 'no gold yet';
  return `${percent(r.rate)} (${Math.round(r.low * 100)}–${percent(r.high)}), ${r.successes}/${r.trials}`;
}

/** "72 % (61–84 %)": an estimate with its 95 % interval. */
export function formatEstimate(e: EstimateView): string {
  return `${percent(e.estimate)} (${Math.round(e.low * 100)}–${percent(e.high)})`;
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

/** Position bias P(says left) − ½ with its interval and the side it leans to. */
export function formatBias(e: EstimateView): string {
  const side = e.low > 0 ? ', leans left' : e.high < 0 ? ', leans right' : '';
  return `${signed(e.estimate)} (${signed(e.low)} to ${signed(e.high)})${side}`;
}

/** One flag reason in words, with the evidence that crossed the threshold. */
export function formatFlagReason(r: LabelerFlagReason): string {
  switch (r.kind) {
    case 'low-accuracy':
      return `accuracy ${percent(r.estimate)}: even its 95 % upper bound ${percent(r.bound)} is below the ${percent(r.threshold)} threshold`;
    case 'inverted':
      return `answers backwards: ${percent(r.estimate)} of answers (lower bound ${percent(r.bound)} > ${percent(r.threshold)})`;
    case 'random':
      return `answers at random: ${percent(r.estimate)} of answers (lower bound ${percent(r.bound)} > ${percent(r.threshold)})`;
    case 'position-bias':
      return `picks by screen side: bias ${signed(r.estimate)} (at least ${r.bound.toFixed(2)} > ${r.threshold.toFixed(2)})`;
  }
}
