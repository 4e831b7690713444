/**
 * Offline, deterministic text features for (prompt, response) arms.
 *
 * Pipeline per text: NFKC + lower-case → word n-grams (over \p{L}\p{N} tokens) and character
 * n-grams (over the whitespace-collapsed text, padded with one space each side) → each n-gram
 * hashed with 32-bit FNV-1a into `hashBuckets` buckets, with a second hash bit as its sign
 * (signed feature hashing keeps collisions unbiased) → sublinear TF weight sign·(1 + ln tf) per
 * n-gram → L2 normalisation → a seeded sparse Achlioptas projection to `dimension` (entries +1, 0, −1
 * with probabilities 1/6, 2/3, 1/6) → L2 normalisation again, so every non-empty text maps to a unit
 * vector (an empty text maps to the zero vector).
 *
 * The projection row of a bucket is generated from (seed, bucket) on first use and cached, so the
 * hashBuckets × dimension matrix is never materialised.
 */
import { Rng, type FeatureMatrix, type Matrix, zeros } from '@borda/numeric';

/** A chat turn; multi-turn prompts are embedded as "[role] content" lines in order. */
export interface ChatTurn {
  readonly role: string;
  readonly content: string;
}

export type TextInput = string | readonly ChatTurn[];

export interface TextFeaturiserOptions {
  /** Output width (default 128). */
  readonly dimension?: number;
  /** Seed of the random projection (default 0). */
  readonly seed?: number;
  /** Hash space of the n-gram counts (default 2^18). */
  readonly hashBuckets?: number;
  /** Inclusive [min, max] word n-gram lengths (default [1, 2]); [0, 0] disables word n-grams. */
  readonly wordNgrams?: readonly [number, number];
  /** Inclusive [min, max] character n-gram lengths (default [3, 5]); [0, 0] disables them. */
  readonly charNgrams?: readonly [number, number];
}

export interface SerializedTextFeaturiser {
  readonly kind: 'text-featuriser';
  readonly version: 1;
  readonly dimension: number;
  readonly seed: number;
  readonly hashBuckets: number;
  readonly wordNgrams: [number, number];
  readonly charNgrams: [number, number];
}

/** Standard 32-bit FNV-1a over the UTF-8 bytes of `text` (encoded inline: no allocation). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  const byte = (b: number) => {
    h = Math.imul(h ^ b, 0x01000193);
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) byte(c);
    else if (c < 0x800) {
      byte(0xc0 | (c >> 6));
      byte(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      byte(0xe0 | (c >> 12));
      byte(0x80 | ((c >> 6) & 0x3f));
      byte(0x80 | (c & 0x3f));
    } else {
      byte(0xf0 | (c >> 18));
      byte(0x80 | ((c >> 12) & 0x3f));
      byte(0x80 | ((c >> 6) & 0x3f));
      byte(0x80 | (c & 0x3f));
    }
  }
  return h >>> 0;
}

/** Final avalanche of murmur3: FNV-1a's low bits mix poorly, and the bucket is taken modulo. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function ngramRange(value: readonly [number, number] | undefined, fallback: [number, number], field: string) {
  const [lo, hi] = value ?? fallback;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < lo || (lo === 0 && hi !== 0)) {
    throw new RangeError(`${field} must be [min, max] with 1 ≤ min ≤ max (or [0, 0] to disable), got [${lo}, ${hi}]`);
  }
  return [lo, hi] as [number, number];
}

/** Turns a prompt (plain or multi-turn) into the text that gets embedded. */
export function promptText(input: TextInput, what = 'text'): string {
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) throw new TypeError(`${what} must be a string or an array of {role, content} turns`);
  return input
    .map((turn, i) => {
      if (!turn || typeof turn.role !== 'string' || typeof turn.content !== 'string') {
        throw new TypeError(`${what}: turn ${i} must be {role: string, content: string}`);
      }
      return `[${turn.role}] ${turn.content}`;
    })
    .join('\n');
}

export class TextFeaturiser {
  readonly dimension: number;
  readonly seed: number;
  readonly hashBuckets: number;
  readonly wordNgrams: [number, number];
  readonly charNgrams: [number, number];
  private readonly rows = new Map<number, Int8Array>();

  constructor(options: TextFeaturiserOptions = {}) {
    this.dimension = options.dimension ?? 128;
    if (!Number.isInteger(this.dimension) || this.dimension < 1) {
      throw new RangeError(`dimension must be a positive integer, got ${this.dimension}`);
    }
    this.seed = options.seed ?? 0;
    if (!Number.isFinite(this.seed)) throw new RangeError(`seed must be a finite number, got ${this.seed}`);
    this.hashBuckets = options.hashBuckets ?? 1 << 18;
    if (!Number.isInteger(this.hashBuckets) || this.hashBuckets < 1 || this.hashBuckets > 2 ** 31) {
      throw new RangeError(`hashBuckets must be an integer in [1, 2^31], got ${this.hashBuckets}`);
    }
    this.wordNgrams = ngramRange(options.wordNgrams, [1, 2], 'wordNgrams');
    this.charNgrams = ngramRange(options.charNgrams, [3, 5], 'charNgrams');
    if (this.wordNgrams[0] === 0 && this.charNgrams[0] === 0) {
      throw new RangeError('wordNgrams and charNgrams cannot both be disabled');
    }
  }

  /** Width of a joint (prompt, response) row: 3·dimension. */
  get jointDimension(): number {
    return 3 * this.dimension;
  }

  /** Signed, sublinearly weighted, L2-normalised hashed n-gram counts (bucket → weight). */
  hashedCounts(input: TextInput): Map<number, number> {
    const text = promptText(input).normalize('NFKC').toLowerCase();
    const counts = new Map<number, number>();
    const add = (gram: string) => {
      const h = fmix32(fnv1a32(gram));
      // Bucket from the low bits, sign from the top bit: independent enough after fmix32.
      const bucket = (h & 0x7fffffff) % this.hashBuckets;
      const key = h >>> 31 ? -(bucket + 1) : bucket + 1;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    };
    if (this.wordNgrams[0] > 0) {
      const words = text.match(/[\p{L}\p{N}]+/gu) ?? [];
      for (let n = this.wordNgrams[0]; n <= this.wordNgrams[1]; n++) {
        for (let i = 0; i + n <= words.length; i++) add(`w${n}:${words.slice(i, i + n).join(' ')}`);
      }
    }
    if (this.charNgrams[0] > 0) {
      const chars = ` ${text.replace(/\s+/gu, ' ').trim()} `;
      if (chars.length > 2) {
        for (let n = this.charNgrams[0]; n <= this.charNgrams[1]; n++) {
          for (let i = 0; i + n <= chars.length; i++) add(`c${n}:${chars.slice(i, i + n)}`);
        }
      }
    }
    const weights = new Map<number, number>();
    let norm = 0;
    for (const [key, tf] of counts) {
      const bucket = Math.abs(key) - 1;
      const w = (key < 0 ? -1 : 1) * (1 + Math.log(tf));
      // A +gram and a −gram may share a bucket; they then partly cancel, as signed hashing intends.
      weights.set(bucket, (weights.get(bucket) ?? 0) + w);
    }
    for (const w of weights.values()) norm += w * w;
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (const [bucket, w] of weights) weights.set(bucket, w * inv);
    }
    return weights;
  }

  /** Unit-norm embedding of one text or multi-turn prompt (zero vector for empty text). */
  embed(input: TextInput): Float64Array {
    const out = new Float64Array(this.dimension);
    for (const [bucket, w] of this.hashedCounts(input)) {
      if (w === 0) continue;
      const r = this.projectionRow(bucket);
      for (let j = 0; j < this.dimension; j++) if (r[j] !== 0) out[j] += r[j] * w;
    }
    let norm = 0;
    for (let j = 0; j < this.dimension; j++) norm += out[j] * out[j];
    if (norm > 0) {
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < this.dimension; j++) out[j] *= inv;
    }
    return out;
  }

  embedMany(inputs: readonly TextInput[]): Matrix {
    const out = zeros(inputs.length, this.dimension);
    inputs.forEach((t, i) => out.data.set(this.embed(t), i * this.dimension));
    return out;
  }

  /** [p, r, p ⊙ r]: columns 0..D−1 the prompt, D..2D−1 the response, 2D..3D−1 their product. */
  joint(promptVector: ArrayLike<number>, responseVector: ArrayLike<number>): Float64Array {
    const d = this.dimension;
    if (promptVector.length !== d)
      throw new RangeError(`promptVector has ${promptVector.length} values, expected ${d}`);
    if (responseVector.length !== d) {
      throw new RangeError(`responseVector has ${responseVector.length} values, expected ${d}`);
    }
    const out = new Float64Array(3 * d);
    for (let j = 0; j < d; j++) {
      out[j] = promptVector[j];
      out[d + j] = responseVector[j];
      out[2 * d + j] = promptVector[j] * responseVector[j];
    }
    return out;
  }

  jointFromText(prompt: TextInput, response: string): Float64Array {
    return this.joint(this.embed(prompt), this.embed(response));
  }

  /** A CandidateSet-shaped {features, offsets} for prompts and their responses, embedding each text once. */
  candidates(prompts: readonly TextInput[], responses: readonly (readonly string[])[]) {
    if (responses.length !== prompts.length) {
      throw new RangeError(`responses has ${responses.length} lists, expected one per prompt (${prompts.length})`);
    }
    return jointFeatures(
      this.embedMany(prompts),
      responses.map((list) => this.embedMany(list)),
    );
  }

  toJSON(): SerializedTextFeaturiser {
    return {
      kind: 'text-featuriser',
      version: 1,
      dimension: this.dimension,
      seed: this.seed,
      hashBuckets: this.hashBuckets,
      wordNgrams: [...this.wordNgrams],
      charNgrams: [...this.charNgrams],
    };
  }

  static load(json: SerializedTextFeaturiser): TextFeaturiser {
    if (json.kind !== 'text-featuriser')
      throw new RangeError(`kind must be 'text-featuriser', got ${String(json.kind)}`);
    if (json.version !== 1) throw new RangeError(`unsupported text-featuriser version ${String(json.version)}`);
    return new TextFeaturiser(json);
  }

  /** Achlioptas row of `bucket`: depends only on (seed, bucket), so it can be made lazily. */
  private projectionRow(bucket: number): Int8Array {
    let r = this.rows.get(bucket);
    if (r) return r;
    const rng = new Rng(fmix32((bucket + 1) ^ fmix32(fnv1a32(String(this.seed)))));
    r = new Int8Array(this.dimension);
    for (let j = 0; j < this.dimension; j++) {
      const u = rng.nextUint32() % 6;
      r[j] = u === 0 ? 1 : u === 1 ? -1 : 0;
    }
    this.rows.set(bucket, r);
    return r;
  }
}

export interface JointFeatureOptions {
  /** Element type of the result (default 'float64'; 'float32' halves the memory of a large campaign). */
  readonly precision?: 'float64' | 'float32';
  /** L2-normalise every prompt and response vector before joining (default false; zero vectors stay zero). */
  readonly normalize?: boolean;
}

/** CandidateSet-shaped: prompt p owns rows offsets[p] .. offsets[p + 1] − 1. */
export interface JointCandidates {
  readonly features: FeatureMatrix;
  readonly offsets: Int32Array;
}

/** A matrix or an array of rows. */
export type EmbeddingRows = FeatureMatrix | readonly ArrayLike<number>[];

function rowCount(rows: EmbeddingRows): number {
  return Array.isArray(rows) ? rows.length : (rows as FeatureMatrix).rows;
}

function rowAt(rows: EmbeddingRows, i: number): ArrayLike<number> {
  if (Array.isArray(rows)) return rows[i] as ArrayLike<number>;
  const m = rows as FeatureMatrix;
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

function checkedVector(v: ArrayLike<number>, width: number, what: string, normalize: boolean): ArrayLike<number> {
  if (!v || typeof v.length !== 'number') throw new TypeError(`${what} is not an array of numbers`);
  if (v.length !== width) throw new RangeError(`${what} has ${v.length} values, expected ${width}`);
  let norm = 0;
  for (let j = 0; j < width; j++) {
    if (!Number.isFinite(v[j])) throw new RangeError(`${what}, column ${j} is ${v[j]}, not a finite number`);
    norm += v[j] * v[j];
  }
  if (!normalize || norm === 0) return v;
  const inv = 1 / Math.sqrt(norm);
  return Float64Array.from(v, (x) => x * inv);
}

/**
 * Joint rows [p, r, p ⊙ r] (width 3·D) from any embeddings, e.g. a sentence-embedding model's:
 * one prompt vector per prompt and, per prompt, its responses' vectors, all of one width D.
 * The layout is the one TextFeaturiser.joint produces, so user embeddings can replace it.
 */
export function jointFeatures(
  promptEmbeddings: EmbeddingRows,
  responseEmbeddings: readonly EmbeddingRows[],
  options: JointFeatureOptions = {},
): JointCandidates {
  const prompts = rowCount(promptEmbeddings);
  if (responseEmbeddings.length !== prompts) {
    throw new RangeError(
      `responseEmbeddings has ${responseEmbeddings.length} lists, expected one per prompt (${prompts})`,
    );
  }
  const width = prompts === 0 ? 0 : rowAt(promptEmbeddings, 0)?.length;
  if (prompts > 0 && !(width >= 1)) throw new RangeError('prompt 0 has no values');
  const offsets = new Int32Array(prompts + 1);
  for (let p = 0; p < prompts; p++) offsets[p + 1] = offsets[p] + rowCount(responseEmbeddings[p]);
  const total = offsets[prompts];
  const cols = 3 * width;
  const data = options.precision === 'float32' ? new Float32Array(total * cols) : new Float64Array(total * cols);
  const normalize = options.normalize ?? false;
  for (let p = 0; p < prompts; p++) {
    const pv = checkedVector(rowAt(promptEmbeddings, p), width, `prompt ${p}`, normalize);
    const responses = responseEmbeddings[p];
    for (let a = 0; a < rowCount(responses); a++) {
      const rv = checkedVector(rowAt(responses, a), width, `prompt ${p}, response ${a}`, normalize);
      const o = (offsets[p] + a) * cols;
      for (let j = 0; j < width; j++) {
        data[o + j] = pv[j];
        data[o + width + j] = rv[j];
        data[o + 2 * width + j] = pv[j] * rv[j];
      }
    }
  }
  return { features: { rows: total, cols, data }, offsets };
}
