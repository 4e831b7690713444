/**
 * UltraFeedback (openbmb/UltraFeedback): {source, instruction, models, completions: [{model, response,
 * annotations, critique, custom_system_prompt, fine-grained_score, overall_score, principle}], …}.
 *
 * - instruction → prompt; each completion → a response with its model; everything else of a
 *   completion (scores, annotations, critique, …) → that response's metadata; the row's other fields
 *   (source, models, correct_answers, …) → the prompt's metadata.
 * - One judgment per row: the completion with the highest overall_score over the one with the lowest
 *   (the first of equals). None when the scores are missing or all equal: UltraFeedback's scores are
 *   ratings, and a tie is no preference.
 */
import { fieldIssue, type ImportAdapter, type ImportJudgment, isObject, restOf, rowId } from './types';

function bestWorst(scores: readonly (number | null)[]): ImportJudgment[] {
  let best = -1;
  let worst = -1;
  scores.forEach((score, i) => {
    if (score === null) return;
    if (best === -1 || score > (scores[best] as number)) best = i;
    if (worst === -1 || score < (scores[worst] as number)) worst = i;
  });
  if (best === -1 || scores[best] === scores[worst]) return [];
  return [{ chosen: best, rejected: worst }];
}

export const ultraFeedbackAdapter: ImportAdapter = {
  format: 'ultrafeedback',
  detect: (row) => typeof row.instruction === 'string' && Array.isArray(row.completions),
  map: (row, raw) => {
    if (!Array.isArray(row.completions)) return fieldIssue('completions', 'completions must be an array');
    const scores: (number | null)[] = [];
    const responses: Record<string, unknown>[] = [];
    for (let i = 0; i < row.completions.length; i++) {
      const c: unknown = row.completions[i];
      if (!isObject(c)) return fieldIssue(`completions.${i}`, 'a completion is an object with model and response');
      const score = c.overall_score;
      scores.push(typeof score === 'number' && Number.isFinite(score) ? score : null);
      const metadata = restOf(c, ['model', 'response']);
      responses.push({
        text: c.response,
        ...(c.model !== undefined ? { model: c.model } : {}),
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
      });
    }
    return {
      line: {
        id: rowId(row, raw, 'ultrafeedback'),
        prompt: row.instruction,
        metadata: restOf(row, ['id', 'instruction', 'completions']),
        responses,
      },
      judgments: bestWorst(scores),
    };
  },
};
