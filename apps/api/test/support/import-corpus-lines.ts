/**
 * Valid JSONL import lines for the import fuzz corpus, hostile in content: prototype keys, control
 * characters, extreme but exact numbers, the deepest nesting allowed, huge strings, padding, \u
 * escapes. Deterministic for a seed.
 */
export type CampaignKind = 'text' | 'embedding';
export const EMBEDDING_DIM = 3;

/** mulberry32: small, fast and the same on every machine. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Whole code points only: tabs, newlines, C0/C1 controls, quotes, astral and private characters. */
const CHARS = [
  'a',
  'b',
  'z',
  'Q',
  '7',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u0085',
  '"',
  '\\',
  '/',
  'é',
  '€',
  '中',
  '😀',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffe',
  '\u{10ffff}',
  '\u0301',
  '<',
  '&',
];
const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  'a',
  'b.c',
  '0',
  'é',
  '😀',
  ' ',
];
/** Numbers a double carries exactly through JSON.stringify and jsonb (-0 comes back as 0, as documented). */
const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.1,
  -2.5,
  123456,
  1e308,
  -1.7976931348623157e308,
  5e-324,
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  1e21,
  1e-7,
];
/** Embedding values: float32 rounds 1e-50 and 1e-300 to 0 and keeps 1e-40 as a subnormal (documented). */
const EMBEDDING_NUMBERS = [0, -0, 0.5, -1.25, 1e-50, 1e-40, 3.4e38, -3.4e38, 1e-300, 1];
const REF_LOGPROBS = [-0, 0, -1.5, -1e-300, -5e-324, -1e308, -0.001];

/** Sets an own property even for "__proto__" (an assignment would set the prototype instead). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export class LineMaker {
  private counter = 0;

  constructor(
    private readonly rng: Rng,
    private readonly prefix: string,
  ) {}

  str(min: number, max: number): string {
    let s = '';
    for (let n = this.rng.int(min, max); n > 0; n--) s += this.rng.pick(CHARS);
    return s;
  }

  id(): string {
    // The "~" keeps ids unique whatever the random suffix (no character of CHARS is "~").
    return `${this.prefix}.${this.counter++}${this.rng.chance(0.3) ? `~${this.str(1, 4)}` : ''}`;
  }

  value(depth: number): unknown {
    if (depth <= 0 || this.rng.chance(0.55)) {
      const r = this.rng.next();
      if (r < 0.4) return this.str(0, 12);
      if (r < 0.8) return this.rng.pick(NUMBERS);
      return this.rng.pick([true, false, null]);
    }
    if (this.rng.chance(0.4)) return Array.from({ length: this.rng.int(0, 3) }, () => this.value(depth - 1));
    return this.object(depth - 1);
  }

  object(depth: number): Record<string, unknown> {
    const target: Record<string, unknown> = {};
    for (let n = this.rng.int(0, 4); n > 0; n--) {
      setOwn(target, this.rng.chance(0.5) ? this.rng.pick(KEYS) : this.str(1, 6), this.value(depth));
    }
    return target;
  }

  vector(): number[] {
    return Array.from({ length: EMBEDDING_DIM }, () =>
      this.rng.chance(0.5) ? this.rng.pick(EMBEDDING_NUMBERS) : Math.round((this.rng.next() - 0.5) * 1e6) / 1e3,
    );
  }

  response(kind: CampaignKind, i: number): unknown {
    if (kind === 'text' && this.rng.chance(0.4)) return this.str(1, 20);
    const r: Record<string, unknown> = { text: this.str(1, 30) };
    if (this.rng.chance(0.5)) r.id = `r${i}${this.rng.chance(0.3) ? `~${this.str(1, 3)}` : ''}`;
    if (this.rng.chance(0.4)) r.model = this.str(1, 10);
    if (this.rng.chance(0.4)) r.ref_logprob = this.rng.pick(REF_LOGPROBS);
    if (this.rng.chance(0.4)) r.metadata = this.object(2);
    if (kind === 'embedding') r.embedding = this.vector();
    return r;
  }

  /** A valid line as an object (JSON.stringify of it is what is sent). */
  line(kind: CampaignKind, id = this.id()): Record<string, any> {
    const line: Record<string, any> = { id };
    if (this.rng.chance(0.3)) {
      line.messages = Array.from({ length: this.rng.int(1, 3) }, () => ({
        role: this.rng.pick(['user', 'assistant', 'system']),
        content: this.str(0, 20),
      }));
    } else line.prompt = this.str(1, 40);
    if (this.rng.chance(0.6)) line.metadata = this.object(3);
    if (kind === 'embedding') line.embedding = this.vector();
    line.responses = Array.from({ length: this.rng.int(2, 5) }, (_, i) => this.response(kind, i));
    return line;
  }
}

export const NESTED = (depth: number, open: string, close: string, inner = '1') =>
  open.repeat(depth) + inner + close.repeat(depth);
export const text = (value: unknown) => JSON.stringify(value);
/** Writes `literal` (raw JSON text) where the line's metadata.x placeholder is. */
export const withLiteral = (line: Record<string, any>, literal: string) =>
  text({ ...line, metadata: { x: '@@LITERAL@@' } }).replace('"@@LITERAL@@"', literal);
/** Every non-ASCII UTF-16 unit written as a \u escape: the same value in other JSON text. */
const asciiEscaped = (json: string) =>
  json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export type Made = { text: string | Buffer; label: string };

/** A response as an object (a string response is its text). */
export const asObject = (response: unknown): Record<string, unknown> =>
  typeof response === 'string' ? { text: response } : { ...(response as Record<string, unknown>) };

/** Valid lines the import must keep exactly, hostile in content. */
export function hostileValid(make: LineMaker, rng: Rng, kind: CampaignKind): Made {
  const line = make.line(kind);
  const variants: (() => Made)[] = [
    () => ({ text: text(line), label: 'plain' }),
    () => {
      const metadata = {};
      setOwn(metadata, '__proto__', { polluted: true });
      setOwn(metadata, 'constructor', { prototype: { x: 1 } });
      setOwn(metadata, 'prototype', [1, { __proto__: null }]);
      return { text: text({ ...line, metadata }), label: 'prototype keys' };
    },
    // The line's own object is level 1: 63 more levels are the most allowed.
    () => ({ text: withLiteral(line, NESTED(62, '[', ']')), label: 'nesting at the limit (64)' }),
    () => ({ text: withLiteral(line, NESTED(62, '{"__proto__":', '}')), label: '__proto__ chain at the limit' }),
    () => ({
      text: text({ ...line, messages: undefined, prompt: 'x'.repeat(rng.int(60_000, 120_000)) + make.str(1, 50) }),
      label: 'huge prompt',
    }),
    () => ({
      text: text({ ...line, responses: Array.from({ length: 64 }, (_, i) => make.response(kind, i)) }),
      label: '64 responses',
    }),
    () => ({ text: text({ ...line, id: `${line.id}~`.padEnd(256, 'i') }), label: '256-character id' }),
    () => ({ text: ` \t ${text(line)}\t `, label: 'padded with whitespace' }),
    () => ({ text: asciiEscaped(text(line)), label: 'non-ASCII written as \\u escapes' }),
    () => ({
      text: withLiteral(
        line,
        rng.pick([
          '9007199254740991',
          '-9007199254740991',
          '5e-324',
          '1.7976931348623157e308',
          '-0',
          '0.0',
          '0e-400',
          '1E+2',
        ]),
      ),
      label: 'extreme exact numbers',
    }),
  ];
  return rng.pick(variants)();
}
