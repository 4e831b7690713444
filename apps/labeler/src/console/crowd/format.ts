import type { RateInterval } from '@borda/api-contract';

const percent = (x: number) => `${Math.round(x * 100)} %`;

/** "83 % (61–94 %), 10/12" or "no gold yet". */
export function formatAccuracy(r: RateInterval): string {
  if (r.trials === 0 || r.rate === null) return 'no gold yet';
  return `${percent(r.rate)} (${Math.round(r.low * 100)}–${percent(r.high)}), ${r.successes}/${r.trials}`;
}
