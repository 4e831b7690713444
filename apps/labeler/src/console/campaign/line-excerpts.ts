/**
 * Reads the text of a few numbered lines of a (possibly multi-gigabyte) JSONL file in the browser,
 * so the import error table can show each bad line next to its problem. The file is read in 1 MiB
 * slices and only the wanted lines' first bytes are kept; reading stops after the last wanted line.
 * Lines are counted as the API counts them: 1-based, split on "\n", a trailing "\r" dropped.
 */

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

export async function readLineExcerpts(
  file: Blob,
  lineNumbers: Iterable<number>,
  maxChars = 160,
): Promise<Map<number, string>> {
  const wanted = new Set(lineNumbers);
  const excerpts = new Map<number, string>();
  if (wanted.size === 0) return excerpts;
  const lastWanted = Math.max(...wanted);
  // UTF-8 takes at most 4 bytes a character; one more tells us the line went on.
  const keepBytes = maxChars * 4 + 4;
  const decoder = new TextDecoder();

  let line = 1;
  let kept: Uint8Array[] = [];
  let keptBytes = 0;
  let overflow = false;

  const finishLine = () => {
    if (wanted.has(line)) excerpts.set(line, toExcerpt(decoder, kept, keptBytes, overflow, maxChars));
    line += 1;
    kept = [];
    keptBytes = 0;
    overflow = false;
  };

  for (let offset = 0; offset < file.size && line <= lastWanted; offset += CHUNK_BYTES) {
    const bytes = new Uint8Array(await file.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
    let start = 0;
    while (line <= lastWanted) {
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline === -1 ? bytes.length : newline;
      if (wanted.has(line) && end > start) {
        const room = keepBytes - keptBytes;
        if (end - start > room) overflow = true;
        const piece = bytes.subarray(start, start + Math.max(0, Math.min(room, end - start)));
        if (piece.length > 0) {
          kept.push(piece.slice());
          keptBytes += piece.length;
        }
      }
      if (newline === -1) break;
      finishLine();
      start = newline + 1;
    }
  }
  // The last line of a file need not end with a newline.
  if (line <= lastWanted && (keptBytes > 0 || overflow)) finishLine();
  return excerpts;
}

function toExcerpt(decoder: TextDecoder, parts: Uint8Array[], length: number, overflow: boolean, maxChars: number) {
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  let text = decoder.decode(joined);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  const chars = [...text];
  if (chars.length > maxChars || overflow) return `${chars.slice(0, maxChars).join('')}…`;
  return text;
}
