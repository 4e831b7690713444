import { describe, expect, it } from 'vitest';
import { fromRows } from '@borda/numeric';
import { TextFeaturiser, fnv1a32, jointFeatures } from '@borda/reward-model';

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

function norm(a: ArrayLike<number>): number {
  return Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));
}

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors (UTF-8 bytes)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    // Non-ASCII goes through UTF-8, matching a hash of the encoded bytes.
    const bytes = new TextEncoder().encode('héllo 😀');
    let h = 0x811c9dc5;
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
    expect(fnv1a32('héllo 😀')).toBe(h >>> 0);
  });
});

describe('TextFeaturiser', () => {
  const texts = [
    'The quick brown fox jumps over the lazy dog.',
    'A quick brown fox jumped over a lazy dog!',
    'Quarterly revenue grew 4% on strong cloud sales.',
    'Photosynthesis converts light energy into chemical energy in plants.',
  ];

  it('is deterministic across instances with the same seed and differs across seeds', () => {
    const a = new TextFeaturiser({ seed: 7 });
    const b = new TextFeaturiser({ seed: 7 });
    const c = new TextFeaturiser({ seed: 8 });
    for (const t of texts) {
      expect(Array.from(b.embed(t))).toEqual(Array.from(a.embed(t)));
      const same = cosine(a.embed(t), c.embed(t));
      expect(same).toBeLessThan(0.6); // an independent projection is near-orthogonal in 128-D
    }
    // Order of calls (the lazy projection cache) does not change results.
    const fresh = new TextFeaturiser({ seed: 7 });
    expect(Array.from(fresh.embed(texts[3]))).toEqual(Array.from(a.embed(texts[3])));
  });

  it('produces finite unit vectors of the configured width, and zero for empty text', () => {
    const f = new TextFeaturiser({ dimension: 32 });
    const m = f.embedMany(texts);
    expect(m.rows).toBe(texts.length);
    expect(m.cols).toBe(32);
    for (let i = 0; i < m.rows; i++) {
      const r = m.data.subarray(i * 32, (i + 1) * 32);
      expect(r.every(Number.isFinite)).toBe(true);
      expect(norm(r)).toBeCloseTo(1, 12);
      expect(Array.from(r)).toEqual(Array.from(f.embed(texts[i])));
    }
    expect(Array.from(f.embed('   '))).toEqual(new Array(32).fill(0));
  });

  it('puts similar texts closer than unrelated ones', () => {
    const f = new TextFeaturiser({ seed: 3 });
    const [fox, fox2, revenue, plants] = texts.map((t) => f.embed(t));
    const near = cosine(fox, fox2);
    expect(near).toBeGreaterThan(0.5);
    expect(near).toBeGreaterThan(cosine(fox, revenue) + 0.3);
    expect(near).toBeGreaterThan(cosine(fox, plants) + 0.3);
    // Case and Unicode width do not matter (NFKC + lower-case).
    expect(cosine(f.embed('HELLO World'), f.embed('hello world'))).toBeCloseTo(1, 12);
  });

  it('uses word and character n-grams as configured', () => {
    const wordsOnly = new TextFeaturiser({ charNgrams: [0, 0], wordNgrams: [1, 1] });
    // Unigrams only: word order is invisible.
    expect(cosine(wordsOnly.embed('dog bites man'), wordsOnly.embed('man bites dog'))).toBeCloseTo(1, 12);
    const bigrams = new TextFeaturiser({ charNgrams: [0, 0], wordNgrams: [1, 2] });
    expect(cosine(bigrams.embed('dog bites man'), bigrams.embed('man bites dog'))).toBeLessThan(0.95);
    // Char n-grams see misspellings as close; word unigrams do not.
    const chars = new TextFeaturiser({ wordNgrams: [0, 0], charNgrams: [3, 5] });
    const charSimilarity = cosine(chars.embed('internationalisation'), chars.embed('internationalization'));
    expect(charSimilarity).toBeGreaterThan(0.5);
    expect(charSimilarity).toBeGreaterThan(
      cosine(wordsOnly.embed('internationalisation'), wordsOnly.embed('internationalization')) + 0.3,
    );
    expect(() => new TextFeaturiser({ wordNgrams: [0, 0], charNgrams: [0, 0] })).toThrow(/both be disabled/);
    expect(() => new TextFeaturiser({ charNgrams: [5, 3] })).toThrow(/charNgrams/);
  });

  it('embeds multi-turn prompts as role-tagged turns in order', () => {
    const f = new TextFeaturiser();
    const turns = [
      { role: 'user', content: 'What is the capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'And of Italy?' },
    ];
    const v = f.embed(turns);
    expect(Array.from(v)).toEqual(
      Array.from(f.embed('[user] What is the capital of France?\n[assistant] Paris.\n[user] And of Italy?')),
    );
    // Roles matter: the same words under swapped roles are a different prompt.
    const swapped = turns.map((t) => ({ ...t, role: t.role === 'user' ? 'assistant' : 'user' }));
    expect(cosine(v, f.embed(swapped))).toBeLessThan(0.999);
    expect(() => f.embed([{ role: 'user', content: 3 as unknown as string }])).toThrow(/turn 0/);
  });

  it('builds joint rows [p, r, p⊙r] of width 3·dimension', () => {
    const f = new TextFeaturiser({ dimension: 16 });
    expect(f.jointDimension).toBe(48);
    const p = f.embed('prompt');
    const r = f.embed('response');
    const j = f.jointFromText('prompt', 'response');
    expect(j.length).toBe(48);
    for (let k = 0; k < 16; k++) {
      expect(j[k]).toBe(p[k]);
      expect(j[16 + k]).toBe(r[k]);
      expect(j[32 + k]).toBe(p[k] * r[k]);
    }
    expect(() => f.joint(p, new Float64Array(15))).toThrow(/responseVector has 15/);

    const set = f.candidates(
      ['p0', [{ role: 'user', content: 'p1' }]],
      [
        ['a', 'b', 'c'],
        ['d', 'e'],
      ],
    );
    expect(Array.from(set.offsets)).toEqual([0, 3, 5]);
    expect(set.features.rows).toBe(5);
    expect(set.features.cols).toBe(48);
    expect(Array.from(set.features.data.subarray(4 * 48, 5 * 48))).toEqual(
      Array.from(f.jointFromText([{ role: 'user', content: 'p1' }], 'e')),
    );
  });

  it('round-trips its configuration through JSON', () => {
    const f = new TextFeaturiser({ dimension: 24, seed: 5, hashBuckets: 1000, wordNgrams: [1, 3], charNgrams: [2, 4] });
    const g = TextFeaturiser.load(JSON.parse(JSON.stringify(f.toJSON())));
    expect(g.toJSON()).toEqual(f.toJSON());
    expect(Array.from(g.embed(texts[0]))).toEqual(Array.from(f.embed(texts[0])));
  });
});

describe('jointFeatures (user-supplied embeddings)', () => {
  it('builds the same layout and offsets as the featuriser from plain rows or matrices', () => {
    const prompts = [
      [1, 2],
      [3, -1],
    ];
    const responses = [fromRows([[0.5, 1]]), [[2, 0], new Float32Array([-1, 1])]];
    const out = jointFeatures(prompts, responses);
    expect(Array.from(out.offsets)).toEqual([0, 1, 3]);
    expect(out.features.cols).toBe(6);
    expect(Array.from(out.features.data)).toEqual([1, 2, 0.5, 1, 0.5, 2, 3, -1, 2, 0, 6, -0, 3, -1, -1, 1, -3, -1]);
    const f32 = jointFeatures(fromRows(prompts), responses, { precision: 'float32' });
    expect(f32.features.data).toBeInstanceOf(Float32Array);
    const unit = jointFeatures([[3, 4]], [[[0, 2]]], { normalize: true });
    [0.6, 0.8, 0, 1, 0, 0.8].forEach((v, j) => expect(unit.features.data[j]).toBeCloseTo(v, 14));
  });

  it('rejects ragged and non-finite embeddings naming the prompt and response', () => {
    expect(() => jointFeatures([[1, 2], [3]], [[[1, 1]], [[1, 1]]])).toThrow(/prompt 1 has 1 values, expected 2/);
    expect(() =>
      jointFeatures(
        [[1, 2]],
        [
          [
            [1, 1],
            [1, 2, 3],
          ],
        ],
      ),
    ).toThrow(/prompt 0, response 1 has 3 values/);
    expect(() =>
      jointFeatures(
        [[1, 2]],
        [
          [
            [1, 1],
            [NaN, 2],
          ],
        ],
      ),
    ).toThrow(/prompt 0, response 1, column 0 is NaN/);
    expect(() => jointFeatures([[Infinity, 2]], [[[1, 1]]])).toThrow(/prompt 0, column 0 is Infinity/);
    expect(() => jointFeatures([[1, 2]], [])).toThrow(/one per prompt/);
  });
});
