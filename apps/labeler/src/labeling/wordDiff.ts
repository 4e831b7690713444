/**
 * A word-level diff of Response A against Response B: the longest common subsequence of their words
 * (whitespace kept with the word before it), so each side can mark the words the other lacks.
 * Quadratic in the words left after the common start and end are cut off, so past MAX_CELLS it
 * gives up (null) rather than freeze the page between two judgments.
 */

export interface DiffRun {
  readonly text: string;
  /** True for words the other response does not have. */
  readonly changed: boolean;
}

export interface WordDiff {
  readonly a: DiffRun[];
  readonly b: DiffRun[];
}

/** About 40 MB of Uint32 table at most; two 2,500-word answers that differ throughout still fit. */
export const MAX_CELLS = 10_000_000;

/** Words with the whitespace that follows each; leading whitespace is its own token. */
export function tokenize(text: string): string[] {
  return text.match(/\s+|\S+\s*/g) ?? [];
}

const word = (token: string) => token.trimEnd();

function pushRun(runs: DiffRun[], text: string, changed: boolean): void {
  const last = runs[runs.length - 1];
  if (last && last.changed === changed) runs[runs.length - 1] = { text: last.text + text, changed };
  else runs.push({ text, changed });
}

export function wordDiff(left: string, right: string): WordDiff | null {
  const a = tokenize(left);
  const b = tokenize(right);
  let start = 0;
  while (start < a.length && start < b.length && word(a[start]) === word(b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && word(a[endA - 1]) === word(b[endB - 1])) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS) return null;

  // lcs[i * (m + 1) + j]: length of the LCS of a[start+i..endA) and b[start+j..endB).
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        word(a[start + i]) === word(b[start + j])
          ? lcs[(i + 1) * width + j + 1] + 1
          : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }

  const runsA: DiffRun[] = [];
  const runsB: DiffRun[] = [];
  for (let k = 0; k < start; k++) {
    pushRun(runsA, a[k], false);
    pushRun(runsB, b[k], false);
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && word(a[start + i]) === word(b[start + j])) {
      pushRun(runsA, a[start + i++], false);
      pushRun(runsB, b[start + j++], false);
    } else if (j >= m || (i < n && lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])) {
      pushRun(runsA, a[start + i++], true);
    } else {
      pushRun(runsB, b[start + j++], true);
    }
  }
  for (let k = endA; k < a.length; k++) pushRun(runsA, a[k], false);
  for (let k = endB; k < b.length; k++) pushRun(runsB, b[k], false);
  return { a: runsA, b: runsB };
}
