/**
 * The prompt: a conversation when it has `messages` (each turn labelled by role and styled apart),
 * else its plain text. Every turn is untrusted text, so it goes through <Markdown>.
 */
import type { LeasedComparison } from '@borda/api-contract';
import { memo } from 'react';
import { Markdown } from '../components/Markdown';

interface Turn {
  readonly role: string;
  readonly content: string;
}

const ROLE_NAMES: Record<string, string> = { system: 'System', user: 'User', assistant: 'Assistant', tool: 'Tool' };

/** Message content is a string, or (OpenAI style) a list of parts of which the text ones are shown. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : ''))
      .filter(Boolean)
      .join('\n\n');
  }
  return content === undefined || content === null ? '' : JSON.stringify(content, null, 2);
}

export function toTurns(messages: unknown[] | null): Turn[] | null {
  if (!Array.isArray(messages) || messages.length === 0) return null;
  const turns: Turn[] = [];
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) return null;
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (typeof role !== 'string') return null;
    turns.push({ role, content: contentText(content) });
  }
  return turns;
}

export const PromptThread = memo(function PromptThread({ prompt }: { prompt: LeasedComparison['prompt'] }) {
  const turns = toTurns(prompt.messages);
  return (
    <section className="prompt" aria-labelledby="prompt-title">
      <h3 id="prompt-title">Prompt</h3>
      {turns ? (
        <ol className="thread">
          {turns.map((turn, index) => {
            const known = turn.role in ROLE_NAMES;
            return (
              <li key={index} className={`turn turn-${known ? turn.role : 'other'}`}>
                <span className="turn-role">{ROLE_NAMES[turn.role] ?? turn.role}</span>
                <Markdown text={turn.content} />
              </li>
            );
          })}
        </ol>
      ) : (
        <div className="turn turn-user">
          <Markdown text={prompt.text ?? ''} />
        </div>
      )}
    </section>
  );
});
