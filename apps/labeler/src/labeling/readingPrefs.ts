/**
 * The labeler's reading preferences on the comparison screen (scroll A and B together, show the word
 * differences), kept in localStorage so they last across comparisons, sessions and campaigns.
 */
export type ReadingPref = 'syncScroll' | 'wordDiff';

const key = (pref: ReadingPref) => `borda:reading:${pref}`;

export function readPref(pref: ReadingPref): boolean {
  try {
    return localStorage.getItem(key(pref)) === 'on';
  } catch {
    return false; // blocked storage: the default, off
  }
}

export function writePref(pref: ReadingPref, on: boolean): void {
  try {
    localStorage.setItem(key(pref), on ? 'on' : 'off');
  } catch {
    // Blocked storage: the choice lasts for this comparison only.
  }
}
