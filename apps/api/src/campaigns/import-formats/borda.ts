/** Borda's own JSONL line: taken as it is (import-line.ts validates it), with no judgments. */
import type { ImportAdapter } from './types';

/** A message a Borda line takes as it is: {role, content} with string content. */
export const plainMessage = (m: unknown): boolean =>
  typeof m === 'object' &&
  m !== null &&
  Object.keys(m).every((k) => k === 'role' || k === 'content') &&
  typeof (m as { content?: unknown }).content === 'string';

export const bordaAdapter: ImportAdapter = {
  format: 'borda',
  detect: (row) =>
    typeof row.id === 'string' &&
    Array.isArray(row.responses) &&
    (row.prompt !== undefined || (Array.isArray(row.messages) && row.messages.every(plainMessage))),
  map: (row) => ({ line: row, judgments: [] }),
};
