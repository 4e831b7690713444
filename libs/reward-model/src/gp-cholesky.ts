/**
 * A lower Cholesky factor stored packed by rows (row i at offset i(i+1)/2) in one growable buffer.
 *
 * Why not @borda/numeric's square `choleskyAppendRow` buffer: a square buffer with capacity
 * doubling holds up to 4n² doubles (800 MB at n = 5,000 after one doubling); packed rows hold
 * n²/2 and doubling the packed length costs at most n² (200 MB). The arithmetic is the same
 * bordering step: the new row is w = L⁻¹c with diagonal sqrt(d − wᵀw), O(n²).
 *
 * Building a factor from scratch is the same sequence of appends, so a batch fit and a model that
 * absorbed the same observations one at a time hold bit-identical factors (and a model reloaded
 * from its observations predicts exactly as the original did).
 */
import { NotPositiveDefiniteError } from '@borda/numeric';

/** Σ a[aOffset + k] b[k] for k < n, with four partial sums (the O(n²) and O(n³) inner loop). */
export function packedDot(a: Float64Array, aOffset: number, b: Float64Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    s0 += a[aOffset + k] * b[k];
    s1 += a[aOffset + k + 1] * b[k + 1];
    s2 += a[aOffset + k + 2] * b[k + 2];
    s3 += a[aOffset + k + 3] * b[k + 3];
  }
  for (; k < n; k++) s0 += a[aOffset + k] * b[k];
  return s0 + s1 + (s2 + s3);
}

export class PackedCholesky {
  private buffer: Float64Array;
  private n = 0;

  constructor(initialRows = 16) {
    this.buffer = new Float64Array(PackedCholesky.packedLength(Math.max(1, initialRows)));
  }

  static packedLength(rows: number): number {
    return (rows * (rows + 1)) / 2;
  }

  get size(): number {
    return this.n;
  }

  /** The packed rows (row i occupies [i(i+1)/2, i(i+1)/2 + i]); valid until the next append. */
  get data(): Float64Array {
    return this.buffer;
  }

  diagonal(i: number): number {
    return this.buffer[(i * (i + 3)) / 2];
  }

  /** Drops every row, keeping the buffer. */
  clear(): void {
    this.n = 0;
  }

  /** x = L⁻¹ b over the leading `n` rows (forward substitution, O(n²)). */
  solveLower(b: ArrayLike<number>, n = this.n, out: Float64Array = new Float64Array(n)): Float64Array {
    const L = this.buffer;
    for (let i = 0; i < n; i++) {
      const offset = (i * (i + 1)) / 2;
      out[i] = (b[i] - packedDot(L, offset, out, i)) / L[offset + i];
    }
    return out;
  }

  /**
   * Appends the row of [[A, c], [cᵀ, d]]: w = L⁻¹c (written into the buffer directly) and the new
   * diagonal. Returns a view of w (valid until the next append). O(n²).
   */
  appendRow(column: ArrayLike<number>, diagonal: number): Float64Array {
    const n = this.n;
    this.ensureRows(n + 1);
    const L = this.buffer;
    const start = (n * (n + 1)) / 2;
    const w = L.subarray(start, start + n);
    let ww = 0;
    for (let i = 0; i < n; i++) {
      const offset = (i * (i + 1)) / 2;
      const wi = (column[i] - packedDot(L, offset, w, i)) / L[offset + i];
      w[i] = wi;
      ww += wi * wi;
    }
    const rest = diagonal - ww;
    if (!(rest > 0)) throw new NotPositiveDefiniteError(n, rest);
    L[start + n] = Math.sqrt(rest);
    this.n = n + 1;
    return w;
  }

  /**
   * Appends two rows at once — the same arithmetic as two `appendRow` calls, bit for bit, but each
   * earlier row of L is streamed from memory once for both new rows. Past a few thousand rows the
   * factor outgrows the caches and this halves the refit time.
   */
  appendTwoRows(
    first: ArrayLike<number>,
    firstDiagonal: number,
    second: ArrayLike<number>,
    secondDiagonal: number,
  ): void {
    const n = this.n;
    this.ensureRows(n + 2);
    const L = this.buffer;
    const start = (n * (n + 1)) / 2;
    const u = L.subarray(start, start + n);
    const next = start + n + 1;
    const v = L.subarray(next, next + n + 1);
    let uu = 0;
    let vv = 0;
    for (let i = 0; i < n; i++) {
      const offset = (i * (i + 1)) / 2;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      let k = 0;
      for (; k + 3 < i; k += 4) {
        const l0 = L[offset + k];
        const l1 = L[offset + k + 1];
        const l2 = L[offset + k + 2];
        const l3 = L[offset + k + 3];
        a0 += l0 * u[k];
        a1 += l1 * u[k + 1];
        a2 += l2 * u[k + 2];
        a3 += l3 * u[k + 3];
        b0 += l0 * v[k];
        b1 += l1 * v[k + 1];
        b2 += l2 * v[k + 2];
        b3 += l3 * v[k + 3];
      }
      for (; k < i; k++) {
        a0 += L[offset + k] * u[k];
        b0 += L[offset + k] * v[k];
      }
      const diagonal = L[offset + i];
      const ui = (first[i] - (a0 + a1 + (a2 + a3))) / diagonal;
      const vi = (second[i] - (b0 + b1 + (b2 + b3))) / diagonal;
      u[i] = ui;
      v[i] = vi;
      uu += ui * ui;
      vv += vi * vi;
    }
    const restFirst = firstDiagonal - uu;
    if (!(restFirst > 0)) throw new NotPositiveDefiniteError(n, restFirst);
    L[start + n] = Math.sqrt(restFirst);
    // The second row's entry against the first new row, then its diagonal: as appendRow would.
    const vn = (second[n] - packedDot(L, start, v, n)) / L[start + n];
    v[n] = vn;
    vv += vn * vn;
    const restSecond = secondDiagonal - vv;
    if (!(restSecond > 0)) {
      this.n = n + 1;
      throw new NotPositiveDefiniteError(n + 1, restSecond);
    }
    L[next + n + 1] = Math.sqrt(restSecond);
    this.n = n + 2;
  }

  private ensureRows(rows: number): void {
    const needed = PackedCholesky.packedLength(rows);
    if (needed <= this.buffer.length) return;
    const grown = new Float64Array(Math.max(needed, 2 * this.buffer.length));
    grown.set(this.buffer.subarray(0, PackedCholesky.packedLength(this.n)));
    this.buffer = grown;
  }

  /** log det(L Lᵀ). */
  logDeterminant(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += Math.log(this.diagonal(i));
    return 2 * s;
  }

  /**
   * (L Lᵀ)⁻¹ as a dense row-major n×n matrix, O(n³): the marginal-likelihood gradient needs the
   * whole inverse. Computed column by column from L⁻¹ eⱼ, then symmetrised.
   */
  inverse(): Float64Array {
    const n = this.n;
    const L = this.buffer;
    // R = L⁻¹ (lower), stored densely row-major.
    const R = new Float64Array(n * n);
    const column = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      column.fill(0);
      column[j] = 1 / this.diagonal(j);
      for (let i = j + 1; i < n; i++) {
        const offset = (i * (i + 1)) / 2;
        let s = 0;
        for (let k = j; k < i; k++) s += L[offset + k] * column[k];
        column[i] = -s / L[offset + i];
      }
      for (let i = j; i < n; i++) R[i * n + j] = column[i];
    }
    // A⁻¹ = Rᵀ R: entry (i, j) = Σ_{k ≥ max(i, j)} R[k, i] R[k, j]; accumulate by rows of R.
    const out = new Float64Array(n * n);
    for (let k = 0; k < n; k++) {
      const rk = k * n;
      for (let i = 0; i <= k; i++) {
        const rki = R[rk + i];
        if (rki === 0) continue;
        const oi = i * n;
        for (let j = 0; j <= i; j++) out[oi + j] += rki * R[rk + j];
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j];
    return out;
  }
}
