import { describe, expect, it } from 'vitest';
import { MAX_CELLS, tokenize, wordDiff } from '../src/labeling/wordDiff';

const changed = (runs: { text: string; changed: boolean }[]) =>
  runs.filter((run) => run.changed).map((run) => run.text.trim());
const whole = (runs: { text: string }[]) => runs.map((run) => run.text).join('');

describe('wordDiff', () => {
  it('keeps every character of both texts, in order', () => {
    const a = '  The cat sat\n\non the  mat.';
    const b = 'The dog sat on a mat.\n';
    const diff = wordDiff(a, b)!;
    expect(whole(diff.a)).toBe(a);
    expect(whole(diff.b)).toBe(b);
  });

  it('marks only the words the other side lacks, grouping neighbours into one run', () => {
    const diff = wordDiff('Boil the egg for ten minutes.', 'Boil the egg in a kettle for ten minutes.')!;
    expect(changed(diff.a)).toEqual([]);
    expect(changed(diff.b)).toEqual(['in a kettle']);
    const swap = wordDiff('one two three four', 'one TWO three five')!;
    expect(changed(swap.a)).toEqual(['two', 'four']);
    expect(changed(swap.b)).toEqual(['TWO', 'five']);
  });

  it('finds the longest common subsequence, not just a common start and end', () => {
    const diff = wordDiff('a b c d e f', 'x b y d z f')!;
    expect(changed(diff.a)).toEqual(['a', 'c', 'e']);
    expect(changed(diff.b)).toEqual(['x', 'y', 'z']);
  });

  it('compares words, not the whitespace between them', () => {
    const diff = wordDiff('same  words\nhere', 'same words here')!;
    expect(changed(diff.a)).toEqual([]);
    expect(changed(diff.b)).toEqual([]);
  });

  it('handles empty texts', () => {
    expect(wordDiff('', '')).toEqual({ a: [], b: [] });
    const diff = wordDiff('', 'all new')!;
    expect(diff.a).toEqual([]);
    expect(diff.b).toEqual([{ text: 'all new', changed: true }]);
  });

  it('gives up past the size limit instead of freezing the page', () => {
    const side = (prefix: string) =>
      Array.from({ length: Math.ceil(Math.sqrt(MAX_CELLS)) + 10 }, (_, i) => `${prefix}${i}`);
    expect(wordDiff(side('a').join(' '), side('b').join(' '))).toBeNull();
    // The same length with a shared start and end is cheap: only the middle is compared.
    const shared = side('s').join(' ');
    expect(wordDiff(`${shared} x ${shared}`, `${shared} y ${shared}`)).not.toBeNull();
  });

  it('tokenizes into words carrying their trailing whitespace', () => {
    expect(tokenize(' a  b\nc')).toEqual([' ', 'a  ', 'b\n', 'c']);
  });
});
