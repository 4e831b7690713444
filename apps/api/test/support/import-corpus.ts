/**
 * A seeded, deterministic corpus of hostile JSONL import files for the import fuzz test. Every line
 * carries its verdict: null when the import must keep it exactly as sent, or the code it must be
 * refused with. Valid lines are hostile too (import-corpus-lines.ts); each bad line is a valid line
 * with one defect (import-corpus-defects.ts). Files mix both, blank lines, LF and CRLF.
 */
import type { ImportLineCode } from '@borda/api-contract';
import { hostileInvalid } from './import-corpus-defects';
import { type CampaignKind, hostileValid, LineMaker, Rng, text } from './import-corpus-lines';

export { EMBEDDING_DIM } from './import-corpus-lines';
export { MAX_LINE_BYTES } from './import-corpus-defects';

export interface CorpusLine {
  /** The line's bytes, without its terminator (not always valid UTF-8). */
  readonly bytes: Buffer;
  /** null: must be stored exactly; otherwise the code it must be refused with. */
  readonly expect: ImportLineCode | null;
  /** Which generator made it, for failure messages. */
  readonly label: string;
  readonly blank?: boolean;
}

export interface CorpusFile {
  readonly name: string;
  readonly kind: CampaignKind;
  readonly lines: readonly CorpusLine[];
  readonly body: Buffer;
}

const BLANKS = ['', '   ', '\t'];

/**
 * `count` files of 4 to 14 lines for campaigns of both kinds; about a third hold only valid lines
 * (so they are imported and read back), the rest one to four bad lines among valid ones.
 */
export function generateCorpus(seed: number, count: number): CorpusFile[] {
  const rng = new Rng(seed);
  const files: CorpusFile[] = [];
  for (let f = 0; f < count; f++) {
    const kind: CampaignKind = f % 3 === 2 ? 'embedding' : 'text';
    const make = new LineMaker(rng, `f${f}`);
    const clean = rng.chance(0.35);
    const size = rng.int(4, 14);
    const badAt = new Set<number>();
    if (!clean) for (let n = rng.int(1, 4); n > 0; n--) badAt.add(rng.int(0, size - 1));
    const lines: CorpusLine[] = [];
    const ids: string[] = [];
    for (let i = 0; i < size; i++) {
      if (rng.chance(0.08))
        lines.push({ bytes: Buffer.from(rng.pick(BLANKS)), expect: null, label: 'blank', blank: true });
      if (badAt.has(i)) {
        const made = hostileInvalid(make, rng, kind, ids);
        lines.push({ bytes: Buffer.from(made.text), expect: made.expect, label: made.label });
      } else {
        const made = hostileValid(make, rng, kind);
        ids.push((JSON.parse(String(made.text)) as { id: string }).id);
        lines.push({ bytes: Buffer.from(made.text), expect: null, label: made.label });
      }
    }
    files.push({ name: `file ${f} (${kind})`, kind, lines, body: join(lines, rng) });
  }
  return files;
}

/** `goodLines` small valid lines (more than one write chunk) and then one bad line. */
export function lateBadFile(seed: number, goodLines: number): CorpusFile {
  const rng = new Rng(seed);
  const make = new LineMaker(rng, 'late');
  const lines: CorpusLine[] = [];
  for (let i = 0; i < goodLines; i++) {
    lines.push({
      bytes: Buffer.from(text({ id: `late.${i}`, prompt: make.str(1, 10), responses: ['a', 'b'] })),
      expect: null,
      label: 'plain',
    });
  }
  const last = text({ id: 'late.bad', prompt: 'nul\u0000', responses: ['a', 'b'] });
  lines.push({ bytes: Buffer.from(last), expect: 'NUL_CHARACTER', label: 'NUL after two write chunks' });
  return { name: 'late bad line', kind: 'text', lines, body: join(lines, rng) };
}

function join(lines: readonly CorpusLine[], rng: Rng): Buffer {
  const terminator = Buffer.from(rng.chance(0.3) ? '\r\n' : '\n');
  const parts: Buffer[] = [];
  lines.forEach((l, i) => {
    parts.push(l.bytes);
    if (i < lines.length - 1 || rng.chance(0.7)) parts.push(terminator);
  });
  return Buffer.concat(parts);
}
