/**
 * Splits a streamed request body into lines without ever holding more than one line: a line over
 * `maxLineBytes` is skipped (and reported) while its bytes stream past, and the whole body is cut
 * off with PAYLOAD_TOO_LARGE as soon as it passes `maxBytes`. A line that is not valid UTF-8 is
 * reported as such rather than decoded with U+FFFD in place of its bad bytes (a silent change).
 */
import { isUtf8 } from 'node:buffer';
import { AppError } from '../errors/app-error';

export type RawLine =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly tooLong: number }
  | { readonly line: number; readonly invalidUtf8: true };

const NEWLINE = 0x0a;

export async function* readLines(
  body: AsyncIterable<Buffer | string>,
  limits: { maxBytes: number; maxLineBytes: number },
): AsyncGenerator<RawLine> {
  let total = 0;
  let lineNumber = 0;
  let parts: Buffer[] = [];
  let lineBytes = 0;

  const finish = (): RawLine => {
    lineNumber += 1;
    const length = lineBytes;
    const kept = parts;
    parts = [];
    lineBytes = 0;
    if (length > limits.maxLineBytes) return { line: lineNumber, tooLong: length };
    const bytes = kept.length === 1 ? kept[0] : Buffer.concat(kept, length);
    if (!isUtf8(bytes)) return { line: lineNumber, invalidUtf8: true };
    const text = bytes.toString('utf8');
    return { line: lineNumber, text: text.endsWith('\r') ? text.slice(0, -1) : text };
  };

  for await (const piece of body) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    total += chunk.length;
    if (total > limits.maxBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `the import exceeds the limit of ${limits.maxBytes} bytes`, {
        limit: limits.maxBytes,
      });
    }
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      const slice = end === -1 ? chunk.subarray(start) : chunk.subarray(start, end);
      lineBytes += slice.length;
      // Past the line limit the bytes are only counted, not kept.
      if (lineBytes <= limits.maxLineBytes && slice.length > 0) parts.push(slice);
      else if (lineBytes > limits.maxLineBytes) parts = [];
      if (end === -1) break;
      yield finish();
      start = end + 1;
    }
  }
  if (lineBytes > 0) yield finish();
}
