/**
 * Row-major dense matrices on typed arrays. Feature sets of a real campaign hold ~10⁶ rows, so
 * everything that scores arms works on one flat buffer rather than on arrays of arrays.
 */
export type NumericArray = Float64Array | Float32Array;

export interface FeatureMatrix {
  readonly rows: number;
  readonly cols: number;
  /** rows × cols values, row-major. */
  readonly data: NumericArray;
}

/** A mutable double-precision matrix. */
export interface Matrix extends FeatureMatrix {
  readonly data: Float64Array;
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function identity(n: number, scale = 1): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = scale;
  return m;
}

/** Builds a matrix from nested arrays, refusing ragged or non-finite input with the offending row. */
export function fromRows(rows: ReadonlyArray<ArrayLike<number>>, what = 'features'): Matrix {
  if (rows.length === 0) return zeros(0, 0);
  const cols = rows[0].length;
  const out = zeros(rows.length, cols);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.length !== cols) {
      throw new RangeError(`${what}: row ${i} has ${r.length} values, expected ${cols} (ragged rows)`);
    }
    for (let j = 0; j < cols; j++) {
      const v = r[j];
      if (!Number.isFinite(v)) throw new RangeError(`${what}: row ${i}, column ${j} is ${v}, not a finite number`);
      out.data[i * cols + j] = v;
    }
  }
  return out;
}

/** A view (no copy) of row i. */
export function row(m: FeatureMatrix, i: number): NumericArray {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Copies the listed rows into a new matrix of the same element type. */
export function selectRows(m: FeatureMatrix, indices: ArrayLike<number>): FeatureMatrix {
  const data =
    m.data instanceof Float32Array
      ? new Float32Array(indices.length * m.cols)
      : new Float64Array(indices.length * m.cols);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    data.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), k * m.cols);
  }
  return { rows: indices.length, cols: m.cols, data };
}

/** Throws naming the first non-finite entry among the rows × cols values. */
export function assertFinite(m: FeatureMatrix, what = 'features'): void {
  const { data, cols } = m;
  const n = m.rows * cols;
  for (let k = 0; k < n; k++) {
    if (!Number.isFinite(data[k])) {
      throw new RangeError(
        `${what}: row ${Math.floor(k / cols)}, column ${k % cols} is ${data[k]}, not a finite number`,
      );
    }
  }
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
  }
  if (i < n) s0 += a[i] * b[i];
  return s0 + s1;
}

/** y = A x for a row-major A. */
export function matVec(a: FeatureMatrix, x: ArrayLike<number>, out = new Float64Array(a.rows)): Float64Array {
  const { rows, cols, data } = a;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let j = 0; j < cols; j++) s += data[o + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** C = A B. */
export function matMul(a: FeatureMatrix, b: FeatureMatrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`matMul: ${a.rows}×${a.cols} times ${b.rows}×${b.cols}`);
  const c = zeros(a.rows, b.cols);
  const n = b.cols;
  for (let i = 0; i < a.rows; i++) {
    const ci = i * n;
    for (let k = 0; k < a.cols; k++) {
      const aik = a.data[i * a.cols + k];
      if (aik === 0) continue;
      const bk = k * n;
      for (let j = 0; j < n; j++) c.data[ci + j] += aik * b.data[bk + j];
    }
  }
  return c;
}

export function transpose(a: FeatureMatrix): Matrix {
  const t = zeros(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j];
  return t;
}
