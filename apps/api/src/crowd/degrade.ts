/**
 * Degraded copies of a response for generated gold comparisons (issue 10 item 1): the original
 * must beat its copy for any attentive labeler. Pure and deterministic: the same text and Rng state
 * give the same copy, so a campaign's gold is reproducible from its seed.
 */
import type { GoldDegradation } from '@borda/api-contract';
import type { Rng } from '@borda/numeric';

const WORDS = /\S+/g;
const SENTENCE_END = /(?<=[.!?])\s+/;

/** Fisher–Yates on a copy; if the shuffle happened to keep the order, rotate by one so the result always differs. */
function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  if (out.every((item, i) => item === items[i])) out.push(out.shift() as T);
  return out;
}

/** Keeps the first 25–50 % of the words: the answer stops mid-thought. Needs 4 words. */
function truncate(text: string, rng: Rng): string | null {
  const words = text.match(WORDS) ?? [];
  if (words.length < 4) return null;
  const keep = Math.max(1, Math.floor(words.length * (0.25 + 0.25 * rng.next())));
  return `${words.slice(0, keep).join(' ')}`;
}

/** Sentences in a random order: the facts stay, the reasoning breaks. Needs 3 distinct sentences. */
function shuffleSentences(text: string, rng: Rng): string | null {
  const sentences = text
    .trim()
    .split(SENTENCE_END)
    .filter((s) => s.length > 0);
  if (new Set(sentences).size < 3) return null;
  return shuffled(sentences, rng).join(' ');
}

/**
 * Letters inside each word of 4+ letters shuffled (first and last kept), and the word order of every
 * sentence reversed: reads like a foreign language. Needs 2 words.
 */
function scrambleWords(text: string, rng: Rng): string | null {
  const words = text.match(WORDS) ?? [];
  if (words.length < 2) return null;
  const scrambled = words.map((word) => {
    if (word.length < 4) return word;
    const inner = [...word.slice(1, -1)];
    return word[0] + (new Set(inner).size > 1 ? shuffled(inner, rng).join('') : inner.join('')) + word.at(-1);
  });
  const out = scrambled.reverse().join(' ');
  return out === words.join(' ') ? null : out;
}

const DEGRADE: Record<GoldDegradation, (text: string, rng: Rng) => string | null> = {
  truncate,
  shuffle_sentences: shuffleSentences,
  scramble_words: scrambleWords,
};

/**
 * A degraded copy of `text` by one of `allowed` (tried in an order drawn from `rng`), or null when
 * no allowed degradation applies to a text this short.
 */
export function degrade(
  text: string,
  allowed: readonly GoldDegradation[],
  rng: Rng,
): { kind: GoldDegradation; text: string } | null {
  for (const kind of shuffled(allowed, rng).slice(0, allowed.length)) {
    const copy = DEGRADE[kind](text, rng);
    if (copy !== null && copy !== text) return { kind, text: copy };
  }
  return null;
}
