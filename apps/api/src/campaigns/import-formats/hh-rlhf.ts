/**
 * Anthropic HH-RLHF: {chosen, rejected}, each the whole transcript "\n\nHuman: …\n\nAssistant: …".
 * The two transcripts share every turn but the last Assistant one: those turns become the prompt's
 * messages (Human → user, Assistant → assistant; a lone Human turn is stored as plain prompt text), the
 * two last Assistant turns the two responses, and
 * the row's judgment chosen over rejected. Transcripts that differ before their last turn are refused.
 */
import { type ChatMessage, promptField, sameMessages } from './messages';
import { fieldIssue, type ImportAdapter, restOf, rowId } from './types';

const TURN = /(?:^|\n\n)(Human|Assistant):[ ]?/g;

function turns(transcript: string): ChatMessage[] | null {
  const marks = [...transcript.matchAll(TURN)];
  if (marks.length === 0 || transcript.slice(0, marks[0].index).trim() !== '') return null;
  return marks.map((m, i) => ({
    role: m[1] === 'Human' ? 'user' : 'assistant',
    content: transcript.slice(m.index + m[0].length, i + 1 < marks.length ? marks[i + 1].index : undefined),
  }));
}

export const hhRlhfAdapter: ImportAdapter = {
  format: 'hh-rlhf',
  detect: (row) =>
    row.prompt === undefined &&
    typeof row.chosen === 'string' &&
    typeof row.rejected === 'string' &&
    /(^|\n\n)Human:/.test(row.chosen),
  map: (row, raw) => {
    const parsed: ChatMessage[][] = [];
    for (const side of ['chosen', 'rejected'] as const) {
      const value = row[side];
      if (typeof value !== 'string') return fieldIssue(side, `${side} must be a transcript string`);
      const t = turns(value);
      if (!t || t[t.length - 1].role !== 'assistant') {
        return fieldIssue(
          side,
          `${side} must be a "\\n\\nHuman: …\\n\\nAssistant: …" transcript ending with an Assistant turn`,
        );
      }
      parsed.push(t);
    }
    const [chosen, rejected] = parsed;
    const prompt = chosen.slice(0, -1);
    if (prompt.length === 0)
      return fieldIssue('chosen', 'the transcript has no Human turn before its last Assistant turn');
    if (!sameMessages(prompt, rejected.slice(0, -1))) {
      return fieldIssue(
        'rejected',
        'chosen and rejected differ before their last Assistant turn: they are not two answers to one prompt',
      );
    }
    const metadata = restOf(row, ['id', 'chosen', 'rejected']);
    return {
      line: {
        id: rowId(row, raw, 'hh-rlhf'),
        ...promptField(prompt),
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
        responses: [chosen[chosen.length - 1].content, rejected[rejected.length - 1].content],
      },
      judgments: [{ chosen: 0, rejected: 1 }],
    };
  },
};
