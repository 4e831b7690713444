/**
 * Plain `{prompt, responses[]}` rows (no id): a Borda line whose id is derived from the row's content.
 * Responses are strings or objects as in a Borda line; any other top-level field becomes metadata.
 */
import { type ImportAdapter, restOf, rowId } from './types';

export const plainAdapter: ImportAdapter = {
  format: 'plain',
  detect: (row) => row.id === undefined && typeof row.prompt === 'string' && Array.isArray(row.responses),
  map: (row, raw) => {
    const rest = restOf(row, ['id', 'prompt', 'responses', 'metadata', 'embedding', 'prompt_id']);
    const metadata = row.metadata ?? (Object.keys(rest).length > 0 ? rest : undefined);
    return {
      line: {
        id: rowId(row, raw, 'plain'),
        prompt: row.prompt,
        responses: row.responses,
        ...(metadata !== undefined ? { metadata } : {}),
        ...(row.embedding !== undefined ? { embedding: row.embedding } : {}),
      },
      judgments: [],
    };
  },
};
