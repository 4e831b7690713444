/**
 * What a JSONL line may hold before its schema is even looked at: things the database or the rest of
 * the service cannot keep faithfully. Every check here runs the same way for a dry run and an import,
 * so a line Postgres would refuse is refused (with its line number) before anything is written.
 *
 * - Nesting deeper than MAX_JSON_DEPTH: JSON.stringify recurses and overflows the stack at a few
 *   thousand levels (V8's JSON.parse does not), so the depth is checked on the parsed value with a
 *   walk that stops descending at the limit.
 * - U+0000 anywhere (Postgres text and jsonb cannot hold it) and lone UTF-16 surrogates ("\ud800" is
 *   valid JSON, but jsonb refuses it and text columns would silently get U+FFFD).
 * - Numbers a double cannot carry: overflow to Infinity (JSON.stringify would write null), a nonzero
 *   literal that underflows to 0, and integer literals beyond ±(2^53 − 1) (they come back as a
 *   different integer).
 */
import type { ImportLineCode } from '@borda/api-contract';

/** Levels of arrays and objects in one line, its own object included (top-level metadata may nest 63). */
export const MAX_JSON_DEPTH = 64;

/** After this many problems in one line the rest of it is not worth listing. */
const MAX_ISSUES_PER_LINE = 20;

export interface LineIssue {
  readonly path: string;
  readonly code: ImportLineCode;
  readonly message: string;
}

/** Parses one line; a syntax error (or any engine limit) is the line's problem, never the request's. */
export function parseJsonLine(raw: string): { value: unknown } | { issue: LineIssue } {
  try {
    return { value: JSON.parse(raw) };
  } catch (error) {
    if (error instanceof RangeError) {
      return { issue: { path: '(line)', code: 'TOO_DEEP', message: `the line is too deeply nested to read` } };
    }
    return { issue: { path: '(line)', code: 'INVALID_JSON', message: `not valid JSON: ${(error as Error).message}` } };
  }
}

function pathOf(segments: readonly (string | number)[]): string {
  return segments.join('.') || '(line)';
}

/** String.prototype.isWellFormed (Node 20) is newer than the TypeScript lib this repository targets. */
const isWellFormed = (value: string): boolean => (value as unknown as { isWellFormed(): boolean }).isWellFormed();

function describeString(value: string): ImportLineCode | null {
  if (value.includes('\u0000')) return 'NUL_CHARACTER';
  if (!isWellFormed(value)) return 'LONE_SURROGATE';
  return null;
}

const STRING_PROBLEMS: Record<string, string> = {
  NUL_CHARACTER: 'holds a NUL character (U+0000), which the database cannot store',
  LONE_SURROGATE: 'holds a lone UTF-16 surrogate (e.g. \\ud800), which is not a Unicode character',
};

class Walk {
  readonly issues: LineIssue[] = [];
  /** Saw an integer beyond ±(2^53 − 1): its literal may have been rounded (lossyNumbers decides). */
  bigInteger = false;
  private readonly segments: (string | number)[] = [];

  private add(issue: LineIssue): void {
    if (this.issues.length < MAX_ISSUES_PER_LINE) this.issues.push(issue);
  }

  /** Recursion is bounded by MAX_JSON_DEPTH + 1: a deeper container is reported, not entered. */
  visit(value: unknown, depth: number): void {
    if (this.issues.length >= MAX_ISSUES_PER_LINE) return;
    if (typeof value === 'string') {
      const code = describeString(value);
      if (code) this.add({ path: pathOf(this.segments), code, message: `the string ${STRING_PROBLEMS[code]}` });
      return;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        this.add({
          path: pathOf(this.segments),
          code: 'NUMBER_OUT_OF_RANGE',
          message: 'the number is beyond the range of a double (±1.8e308)',
        });
      } else if (value > Number.MAX_SAFE_INTEGER || value < -Number.MAX_SAFE_INTEGER) this.bigInteger = true;
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (depth > MAX_JSON_DEPTH) {
      const shown = this.segments.slice(0, 4);
      this.add({
        path: pathOf(shown) + (this.segments.length > shown.length ? '.…' : ''),
        code: 'TOO_DEEP',
        message: `the line nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`,
      });
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        // Embeddings are long arrays of plain numbers: check those in place.
        if (typeof item !== 'number' || !(Math.abs(item) <= Number.MAX_SAFE_INTEGER)) this.child(i, item, depth);
      }
      return;
    }
    // Object.keys lists an own "__proto__" key (JSON.parse creates one) like any other.
    for (const key of Object.keys(value)) {
      const code = describeString(key);
      if (code) this.add({ path: pathOf(this.segments), code, message: `a key ${STRING_PROBLEMS[code]}` });
      this.child(key, (value as Record<string, unknown>)[key], depth);
    }
  }

  private child(segment: string | number, value: unknown, depth: number): void {
    this.segments.push(segment);
    this.visit(value, depth + 1);
    this.segments.pop();
  }
}

/**
 * Number literals a double turns into something else. Only lines that could hold one are scanned:
 * a big integer was parsed, or the text has a three-digit negative exponent or 200 zeros after a
 * point (what it takes to underflow), so ordinary lines cost a short regex test and a search.
 */
const TINY_EXPONENT = /[eE]-\d{3}/;
const MANY_ZEROS = `.${'0'.repeat(200)}`;
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;
const JSON_NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

function lossyNumbers(raw: string, bigInteger: boolean): LineIssue[] {
  if (!bigInteger && !TINY_EXPONENT.test(raw) && !raw.includes(MANY_ZEROS)) return [];
  const issues: LineIssue[] = [];
  // The line parsed as JSON, so strings are well delimited: blank them out, then every digit run is a number.
  const numbers = raw.replace(JSON_STRING, '""').match(JSON_NUMBER) ?? [];
  for (const literal of numbers) {
    const value = Number(literal);
    const shown = literal.length > 40 ? `${literal.slice(0, 37)}…` : literal;
    const mantissa = literal.split(/[eE]/)[0];
    if (value === 0 && /[1-9]/.test(mantissa)) {
      issues.push({
        path: '(line)',
        code: 'NUMBER_OUT_OF_RANGE',
        message: `the number ${shown} is too small for a double and would be stored as 0`,
      });
    } else if (!/[.eE]/.test(literal) && !Number.isSafeInteger(value) && Number.isFinite(value)) {
      issues.push({
        path: '(line)',
        code: 'NUMBER_OUT_OF_RANGE',
        message: `the integer ${shown} is beyond ±(2^53 − 1) and would not be stored exactly; send it as a string`,
      });
    }
    if (issues.length >= MAX_ISSUES_PER_LINE) break;
  }
  return issues;
}

/** Everything wrong with a parsed line's content, whatever its schema; empty when it can be kept as is. */
export function checkJsonContent(value: unknown, raw: string): LineIssue[] {
  const walk = new Walk();
  walk.visit(value, 1);
  // Too deep: its numbers and strings were not all looked at, and the line is refused anyway.
  if (walk.issues.some((i) => i.code === 'TOO_DEEP')) return walk.issues;
  return [...walk.issues, ...lossyNumbers(raw, walk.bigInteger)].slice(0, MAX_ISSUES_PER_LINE);
}
