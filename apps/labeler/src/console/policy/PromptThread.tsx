/** A prompt as the labelers saw it: a conversation of {role, content} turns, or plain text. */
import { Markdown } from '../../components/Markdown';

interface Turn {
  readonly role: string;
  readonly content: string;
}

/** The turns of a chat prompt; null when `messages` is not an array of {role, content}. */
export function asTurns(messages: unknown): Turn[] | null {
  if (!Array.isArray(messages) || messages.length === 0) return null;
  const turns: Turn[] = [];
  for (const message of messages) {
    if (typeof message !== 'object' || message === null || !('role' in message)) return null;
    const { role, content } = message as { role: unknown; content: unknown };
    turns.push({
      role: String(role),
      // Structured content (parts, tool calls) is shown as the JSON it is rather than dropped.
      content: typeof content === 'string' ? content : '```json\n' + JSON.stringify(content, null, 2) + '\n```',
    });
  }
  return turns;
}

export function PromptThread({ text, messages }: { text: string | null; messages: unknown }) {
  const turns = asTurns(messages);
  if (turns) {
    return (
      <ol className="prompt-thread" aria-label="Conversation">
        {turns.map((turn, index) => (
          <li key={index} className={`prompt-turn prompt-turn-${turn.role === 'user' ? 'user' : 'other'}`}>
            <div className="prompt-role">{turn.role}</div>
            <Markdown text={turn.content} />
          </li>
        ))}
      </ol>
    );
  }
  return <Markdown text={text ?? ''} className="prompt-text" />;
}
