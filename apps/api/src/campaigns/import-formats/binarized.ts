/**
 * Binarized preference rows (HuggingFaceH4/ultrafeedback_binarized, TRL's preference formats):
 * {prompt, chosen, rejected} where chosen and rejected are either whole conversations (the prompt's
 * turns then the answer, as ultrafeedback_binarized stores them), just the answer as a one-message
 * list, or plain strings (TRL's standard format).
 *
 * - The prompt: the turns chosen and rejected share before their last message when there are any
 *   (refused when the two differ there), else `prompt` (a string, or a message list). A single user
 *   turn is stored as plain prompt text.
 * - Responses: the last message of chosen, then of rejected; the judgment chosen over rejected.
 * - The row's other fields (prompt_id, score_chosen, score_rejected, …) become prompt metadata; the
 *   duplicate `messages` copy of chosen that ultrafeedback_binarized carries is left out.
 */
import { type ChatMessage, chatMessages, promptField, sameMessages } from './messages';
import { fieldIssue, type ImportAdapter, restOf, rowId } from './types';

type Side = { prefix: ChatMessage[]; answer: string };

function side(value: unknown, path: string): Side | { issues: ReturnType<typeof fieldIssue>['issues'] } {
  if (typeof value === 'string') return { prefix: [], answer: value };
  const messages = chatMessages(value, path);
  if ('issues' in messages) return messages;
  if (messages.length === 0) return fieldIssue(path, `${path} must not be empty`);
  const last = messages[messages.length - 1];
  if (last.role !== 'assistant')
    return fieldIssue(`${path}.${messages.length - 1}.role`, 'the last message must be the assistant’s answer');
  return { prefix: messages.slice(0, -1), answer: last.content };
}

export const binarizedAdapter: ImportAdapter = {
  format: 'binarized',
  detect: (row) => row.prompt !== undefined && row.chosen !== undefined && row.rejected !== undefined,
  map: (row, raw) => {
    const chosen = side(row.chosen, 'chosen');
    if ('issues' in chosen) return chosen;
    const rejected = side(row.rejected, 'rejected');
    if ('issues' in rejected) return rejected;
    let prompt: ChatMessage[] | string;
    if (chosen.prefix.length > 0 || rejected.prefix.length > 0) {
      if (!sameMessages(chosen.prefix, rejected.prefix)) {
        return fieldIssue(
          'rejected',
          'chosen and rejected differ before their last message: they are not two answers to one prompt',
        );
      }
      prompt = chosen.prefix;
    } else if (typeof row.prompt === 'string') {
      prompt = row.prompt;
    } else {
      const messages = chatMessages(row.prompt, 'prompt');
      if ('issues' in messages) return messages;
      prompt = messages;
    }
    const metadata = restOf(row, ['id', 'prompt', 'chosen', 'rejected', 'messages']);
    return {
      line: {
        id: rowId(row, raw, 'binarized'),
        ...(typeof prompt === 'string' ? { prompt } : promptField(prompt)),
        ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
        responses: [chosen.answer, rejected.answer],
      },
      judgments: [{ chosen: 0, rejected: 1 }],
    };
  },
};
