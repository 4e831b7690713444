/**
 * The import adapters and format detection. `auto` reads the first row that parses as a JSON object:
 * a row that is a valid-looking Borda line is Borda (the native format wins any overlap); otherwise
 * the one format whose distinctive fields it has; none → Borda (so its errors are reported as
 * today); more than one → the caller must name the format.
 */
import type { ImportFormat } from '@borda/api-contract';
import { binarizedAdapter } from './binarized';
import { bordaAdapter } from './borda';
import { hhRlhfAdapter } from './hh-rlhf';
import { openAiChatAdapter } from './openai-chat';
import { plainAdapter } from './plain';
import type { ImportAdapter } from './types';
import { ultraFeedbackAdapter } from './ultrafeedback';

export type { ImportAdapter, ImportJudgment, MappedRow } from './types';

export const ADAPTERS: Record<ImportFormat, ImportAdapter> = {
  borda: bordaAdapter,
  ultrafeedback: ultraFeedbackAdapter,
  'hh-rlhf': hhRlhfAdapter,
  binarized: binarizedAdapter,
  'openai-chat': openAiChatAdapter,
  plain: plainAdapter,
};

export function detectFormat(row: Record<string, unknown>): ImportFormat | { ambiguous: ImportFormat[] } {
  if (bordaAdapter.detect(row)) return 'borda';
  const matches = Object.values(ADAPTERS)
    .filter((a) => a.detect(row))
    .map((a) => a.format);
  if (matches.length === 0) return 'borda';
  if (matches.length === 1) return matches[0];
  return { ambiguous: matches };
}
