/**
 * OpenAI chat messages (messages.ts says how content parts, names and tool calls are written out):
 * - OpenAI's preference fine-tuning rows, {input: {messages, tools?}, preferred_output: [messages],
 *   non_preferred_output: [messages]}: the input messages are the prompt (one user message: plain
 *   prompt text), each output (its messages
 *   rendered and joined by blank lines) a response, and the judgment preferred over non-preferred;
 * - Borda-like rows whose `messages` are OpenAI chat messages, {id?, messages, responses, metadata?}:
 *   the messages are rendered, the rest is taken as in a Borda line (no judgments).
 */
import { plainMessage } from './borda';
import { type ChatMessage, chatMessages, promptField } from './messages';
import { fieldIssue, type ImportAdapter, isObject, restOf, rowId } from './types';

function output(value: unknown, path: string): string | { issues: ReturnType<typeof fieldIssue>['issues'] } {
  const messages = chatMessages(value, path);
  if ('issues' in messages) return messages;
  if (messages.length === 0) return fieldIssue(path, `${path} must hold the answer`);
  return messages.map((m: ChatMessage) => m.content).join('\n\n');
}

export const openAiChatAdapter: ImportAdapter = {
  format: 'openai-chat',
  detect: (row) =>
    (isObject(row.input) && Array.isArray(row.input.messages) && row.preferred_output !== undefined) ||
    // Borda-like rows only when they are not Borda lines already (no id, or messages Borda would refuse).
    (Array.isArray(row.messages) &&
      Array.isArray(row.responses) &&
      (row.id === undefined || !row.messages.every(plainMessage))),
  map: (row, raw) => {
    if (row.preferred_output !== undefined || row.input !== undefined) {
      if (!isObject(row.input)) return fieldIssue('input', 'input must be an object with messages');
      const messages = chatMessages(row.input.messages, 'input.messages');
      if ('issues' in messages) return messages;
      const preferred = output(row.preferred_output, 'preferred_output');
      if (typeof preferred !== 'string') return preferred;
      const rejected = output(row.non_preferred_output, 'non_preferred_output');
      if (typeof rejected !== 'string') return rejected;
      const inputRest = restOf(row.input, ['messages']);
      const metadata = {
        ...restOf(row, ['id', 'input', 'preferred_output', 'non_preferred_output']),
        ...(Object.keys(inputRest).length > 0 ? { input: inputRest } : {}),
      };
      return {
        line: {
          id: rowId(row, raw, 'openai-chat'),
          ...promptField(messages),
          ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
          responses: [preferred, rejected],
        },
        judgments: [{ chosen: 0, rejected: 1 }],
      };
    }
    // A row of the same file with a plain prompt (or neither) is left to the line schema.
    if (row.messages === undefined) return { line: { ...row, id: rowId(row, raw, 'openai-chat') }, judgments: [] };
    const messages = chatMessages(row.messages, 'messages');
    if ('issues' in messages) return messages;
    return { line: { ...row, id: rowId(row, raw, 'openai-chat'), messages }, judgments: [] };
  },
};
