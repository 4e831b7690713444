/**
 * The prompt: a conversation when it has `messages` (each turn labelled by role and styled apart),
 * else its plain text. Every turn is untrusted text, so it goes through <Markdown>.
 */
import type { LeasedComparison } from '@borda/api-contract';
import { memo, useState } from 'react';
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

/** A prompt longer than this (characters, all turns) starts collapsed, so both responses show above the fold. */
export const LONG_PROMPT = 600;

function TurnItem({ turn }: { turn: Turn }) {
  const known = turn.role in ROLE_NAMES;
  return (
    <li className={`turn turn-${known ? turn.role : 'other'}`}>
      <span className="turn-role">{ROLE_NAMES[turn.role] ?? turn.role}</span>
      <Markdown text={turn.content} />
    </li>
  );
}

/**
 * A long prompt starts collapsed: only its last turn (the question being answered), cut to a few
 * lines; "Show the whole prompt" opens every turn and "Collapse the prompt" folds it again.
 */
export const PromptThread = memo(function PromptThread({ prompt }: { prompt: LeasedComparison['prompt'] }) {
  const turns = toTurns(prompt.messages) ?? [{ role: 'user', content: prompt.text ?? '' }];
  const threaded = prompt.messages !== null && toTurns(prompt.messages) !== null;
  const long = turns.reduce((sum, turn) => sum + turn.content.length, 0) > LONG_PROMPT;
  const [expanded, setExpanded] = useState(false);
  const collapsed = long && !expanded;
  const shown = collapsed ? turns.slice(-1) : turns;
  const hiddenTurns = turns.length - shown.length;
  return (
    <section className={`prompt${collapsed ? ' prompt-collapsed' : ''}`} aria-labelledby="prompt-title">
      <div className="prompt-head">
        <h3 id="prompt-title">Prompt</h3>
        {long && (
          <button
            type="button"
            className="button button-quiet"
            aria-expanded={expanded}
            aria-controls="prompt-body"
            onClick={() => setExpanded(!expanded)}
          >
            {expanded ? 'Collapse the prompt' : 'Show the whole prompt'}
          </button>
        )}
      </div>
      <div id="prompt-body">
        {collapsed && hiddenTurns > 0 && (
          <p className="muted prompt-hidden-note">
            {hiddenTurns} earlier {hiddenTurns === 1 ? 'turn' : 'turns'} hidden; the last one is shortened.
          </p>
        )}
        {threaded ? (
          <ol className="thread">
            {shown.map((turn, index) => (
              <TurnItem key={hiddenTurns + index} turn={turn} />
            ))}
          </ol>
        ) : (
          <div className="turn turn-user">
            <Markdown text={prompt.text ?? ''} />
          </div>
        )}
      </div>
    </section>
  );
});
