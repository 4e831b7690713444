/**
 * OpenAI chat messages → Borda's {role, content} messages. Borda stores and shows plain text, so the
 * richer parts are written out readably rather than refused or dropped:
 * - content-part arrays: text parts joined by blank lines; an image as "[image: URL]" (a data: URL as
 *   "[image]"), audio as "[audio]", a file as "[file: NAME]", a refusal as its text;
 * - `name`: a first paragraph "[name: NAME]";
 * - `tool_calls` (and the legacy `function_call`): one paragraph each, "[tool call ID: NAME(ARGUMENTS)]";
 * - `tool_call_id` (a tool's answer): a first paragraph "[tool result for ID]".
 */
import type { LineIssue } from '../import-json';
import { isObject } from './types';

export interface ChatMessage {
  role: string;
  content: string;
}

const KNOWN = ['role', 'content', 'name', 'tool_calls', 'tool_call_id', 'function_call', 'refusal', 'weight'];

function part(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (!isObject(value) || typeof value.type !== 'string') return null;
  switch (value.type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return typeof value.text === 'string' ? value.text : null;
    case 'refusal':
      return typeof value.refusal === 'string' ? value.refusal : null;
    case 'image_url': {
      const url = isObject(value.image_url) ? value.image_url.url : undefined;
      return typeof url === 'string' && !url.startsWith('data:') ? `[image: ${url}]` : '[image]';
    }
    case 'input_audio':
      return '[audio]';
    case 'file': {
      const name = isObject(value.file) ? value.file.filename : undefined;
      return typeof name === 'string' ? `[file: ${name}]` : '[file]';
    }
    default:
      return `[${value.type}]`;
  }
}

function call(value: unknown): string | null {
  if (!isObject(value)) return null;
  const fn = isObject(value.function) ? value.function : value;
  if (typeof fn.name !== 'string') return null;
  const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
  const id = typeof value.id === 'string' ? ` ${value.id}` : '';
  return `[tool call${id}: ${fn.name}(${args})]`;
}

/** One message, or the problem with it (path relative to the message). */
export function chatMessage(value: unknown, path: string): ChatMessage | { issues: LineIssue[] } {
  const issue = (at: string, message: string) => ({
    issues: [{ path: at, code: 'INVALID_FIELD' as const, message }],
  });
  if (!isObject(value)) return issue(path, 'a message is an object with a role and content');
  if (typeof value.role !== 'string' || value.role === '')
    return issue(`${path}.role`, 'role must be a non-empty string');
  const extra = Object.keys(value).find((k) => !KNOWN.includes(k));
  if (extra !== undefined) return issue(`${path}.${extra}`, `unknown message field '${extra}'`);
  const lines: string[] = [];
  if (value.name !== undefined) {
    if (typeof value.name !== 'string') return issue(`${path}.name`, 'name must be a string');
    lines.push(`[name: ${value.name}]`);
  }
  if (value.tool_call_id !== undefined) {
    if (typeof value.tool_call_id !== 'string') return issue(`${path}.tool_call_id`, 'tool_call_id must be a string');
    lines.push(`[tool result for ${value.tool_call_id}]`);
  }
  const content = value.content;
  if (typeof content === 'string') {
    if (content !== '') lines.push(content);
  } else if (Array.isArray(content)) {
    for (let i = 0; i < content.length; i++) {
      const text = part(content[i]);
      if (text === null) return issue(`${path}.content.${i}`, 'not a readable content part (text, image_url, …)');
      lines.push(text);
    }
  } else if (content !== null && content !== undefined) {
    return issue(`${path}.content`, 'content must be a string, an array of content parts or null');
  }
  if (typeof value.refusal === 'string' && value.refusal !== '') lines.push(value.refusal);
  const calls = [
    ...(Array.isArray(value.tool_calls) ? value.tool_calls : []),
    ...(value.function_call ? [value.function_call] : []),
  ];
  if (value.tool_calls !== undefined && !Array.isArray(value.tool_calls)) {
    return issue(`${path}.tool_calls`, 'tool_calls must be an array');
  }
  for (let i = 0; i < calls.length; i++) {
    const text = call(calls[i]);
    if (text === null) return issue(`${path}.tool_calls.${i}`, 'a tool call needs a function name');
    lines.push(text);
  }
  return { role: value.role, content: lines.join('\n\n') };
}

/** A message list; the first bad message is reported. */
export function chatMessages(value: unknown, path: string): ChatMessage[] | { issues: LineIssue[] } {
  if (!Array.isArray(value))
    return { issues: [{ path, code: 'INVALID_FIELD', message: 'must be an array of messages' }] };
  const out: ChatMessage[] = [];
  for (let i = 0; i < value.length; i++) {
    const message = chatMessage(value[i], `${path}.${i}`);
    if ('issues' in message) return message;
    out.push(message);
  }
  return out;
}

export const sameMessages = (a: readonly ChatMessage[], b: readonly ChatMessage[]): boolean =>
  a.length === b.length && a.every((m, i) => m.role === b[i].role && m.content === b[i].content);

/**
 * A prompt that is one user turn is stored as plain prompt text (as a Borda line would give it), so
 * the plain-text TRL export shows it as the dataset had it rather than as "user: …".
 */
export const promptField = (messages: ChatMessage[]): { prompt: string } | { messages: ChatMessage[] } =>
  messages.length === 1 && messages[0].role === 'user' ? { prompt: messages[0].content } : { messages };
