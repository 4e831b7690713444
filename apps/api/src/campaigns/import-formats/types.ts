/**
 * An import adapter turns one parsed row of an external dataset into a Borda import line (the shape
 * import-line.ts validates) plus the judgments the row already carries. Adapters only rename and
 * reshape: every check on what a line may hold (schema, nesting, NUL, numbers, ids) runs afterwards
 * on the mapped line exactly as for a Borda line, so no format can bypass it.
 */
import { createHash } from 'node:crypto';
import type { ImportFormat } from '@borda/api-contract';
import type { LineIssue } from '../import-json';

/** An existing judgment: responses[chosen] was preferred to responses[rejected]. */
export interface ImportJudgment {
  readonly chosen: number;
  readonly rejected: number;
}

export interface MappedRow {
  /** A Borda line (id, prompt or messages, responses, metadata), still to be validated. */
  readonly line: Record<string, unknown>;
  readonly judgments: readonly ImportJudgment[];
}

export type MapResult = MappedRow | { readonly issues: LineIssue[] };

export interface ImportAdapter {
  readonly format: ImportFormat;
  /** True when the row has this format's distinctive fields (auto-detection reads the first row). */
  detect(row: Record<string, unknown>): boolean;
  /** `raw` is the row's JSON text, which a content-derived id is hashed from. */
  map(row: Record<string, unknown>, raw: string): MapResult;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const fieldIssue = (path: string, message: string): { issues: LineIssue[] } => ({
  issues: [{ path, code: 'INVALID_FIELD', message }],
});

/**
 * The prompt id: the row's own `id` or `prompt_id` when it has one, else one derived from the row's
 * content, so importing the same file twice is refused (ID_EXISTS) rather than doubling it, and two
 * identical rows are reported as duplicates.
 */
export function rowId(row: Record<string, unknown>, raw: string, format: ImportFormat): unknown {
  if (row.id !== undefined) return row.id;
  if (typeof row.prompt_id === 'string' && row.prompt_id !== '') return row.prompt_id;
  return `${format}-${createHash('sha256').update(raw).digest('hex').slice(0, 24)}`;
}

/** The row's other fields, kept as prompt metadata so nothing of the source is silently dropped. */
export function restOf(row: Record<string, unknown>, used: readonly string[]): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(row)) {
    if (!used.includes(key)) Object.defineProperty(rest, key, { value: row[key], enumerable: true, writable: true });
  }
  return rest;
}
