/**
 * Seeded pseudo-random numbers (xoshiro128**, seeded through splitmix32).
 *
 * Every stochastic routine in the learning libraries takes an `Rng` instead of calling
 * `Math.random`, so a run is reproducible from its seed. `fork` derives independent streams so
 * that, e.g., each simulation seed or each ensemble member can run in any order (or on another
 * worker thread) and still produce the same numbers.
 */
export interface RngState {
  readonly s: [number, number, number, number];
  /** The second normal of the last polar-method pair, not yet returned (absent when none is cached). */
  readonly spareNormal?: number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(seed: number | RngState = 0) {
    if (typeof seed === 'number') {
      if (!Number.isFinite(seed)) throw new RangeError(`Rng seed must be a finite number, got ${seed}`);
      const mix = splitmix32(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
      this.s0 = mix();
      this.s1 = mix();
      this.s2 = mix();
      this.s3 = mix();
    } else {
      [this.s0, this.s1, this.s2, this.s3] = seed.s;
      this.spareNormal = seed.spareNormal ?? null;
    }
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Standard normal draw (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return u * m;
  }

  /** Fills an array with independent standard normal draws. */
  normals(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }

  /** Bernoulli draw with success probability p. */
  bernoulli(p: number): 0 | 1 {
    return this.next() < p ? 1 : 0;
  }

  /** In-place Fisher–Yates shuffle of an array or typed array; returns the same object. */
  shuffle<A extends { length: number; [index: number]: unknown }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A uniform integer in [0, n) different from `excluded` (n ≥ 2). */
  intExcluding(n: number, excluded: number): number {
    if (n < 2) throw new RangeError('intExcluding needs at least two values');
    const k = this.int(n - 1);
    return k >= excluded ? k + 1 : k;
  }

  /**
   * An independent generator for sub-stream `stream`. The parent's state is not advanced, so the
   * child depends only on (parent state, stream): forks can be taken in any order.
   */
  fork(stream: number): Rng {
    const mix = splitmix32((this.s0 ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0);
    const s: [number, number, number, number] = [
      (mix() ^ this.s1) >>> 0,
      (mix() ^ this.s2) >>> 0,
      (mix() ^ this.s3) >>> 0,
      mix(),
    ];
    return new Rng({ s });
  }

  /** The whole state, the cached second normal included, so a restored generator continues exactly. */
  toJSON(): RngState {
    const s: RngState['s'] = [this.s0, this.s1, this.s2, this.s3];
    return this.spareNormal === null ? { s } : { s, spareNormal: this.spareNormal };
  }

  static load(state: RngState): Rng {
    return new Rng(state);
  }
}
