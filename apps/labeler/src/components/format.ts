/** Number, size, duration and date formats for every screen, so each writes them alike ("—" for none). */

type Maybe<T> = T | null | undefined;

const isMissing = (value: Maybe<number>): value is null | undefined =>
  value === null || value === undefined || !Number.isFinite(value);

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** A score to `digits` decimals. */
export function formatNumber(value: Maybe<number>, digits = 3): string {
  return isMissing(value) ? '—' : value.toFixed(digits);
}

/** A signed score (+0.120 / −0.050), for margins whose sign is the point. */
export function formatSigned(value: Maybe<number>, digits = 3): string {
  if (isMissing(value)) return '—';
  const text = Math.abs(value).toFixed(digits);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

/** mean ± half-width of a 95% CI. */
export function formatInterval(mean: number, halfWidth: number, digits = 3): string {
  return `${formatNumber(mean, digits)} ± ${formatNumber(halfWidth, digits)}`;
}

/** 0.4213 → "42.1%". */
export function formatPercent(value: Maybe<number>, digits = 1): string {
  return isMissing(value) ? '—' : `${(value * 100).toFixed(digits)}%`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Milliseconds as "850 ms", "12.3 s" or "4 min 05 s". */
export function formatDuration(ms: Maybe<number>): string {
  if (isMissing(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

function parseDate(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(iso: Maybe<string>): string {
  if (!iso) return '—';
  return parseDate(iso)?.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) ?? iso;
}

export function formatDate(iso: Maybe<string>): string {
  if (!iso) return '—';
  return parseDate(iso)?.toLocaleDateString('en-GB', { dateStyle: 'medium' }) ?? iso;
}

/** A short label for a time bucket's start: hours show the time, days only the date (UTC, as the API buckets). */
export function formatBucket(iso: string, bucket: 'hour' | 'day'): string {
  const date = parseDate(iso);
  if (!date) return iso;
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  if (bucket === 'day') return day;
  const hour = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return `${day} ${hour}`;
}

/** "My campaign: v2!" → "my-campaign-v2" (a file name that every OS accepts). */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return slug || 'campaign';
}
