/**
 * Building, checking and slicing candidate sets (every (prompt, response) arm of a campaign).
 *
 * Strategies validate the set they are handed on every call: a malformed offsets array would
 * otherwise surface far away as a wrong prompt index or an out-of-range read. The layout check is
 * O(prompts); the finiteness scan reads every feature (10⁸ values for a 100k × 8 campaign at
 * d = 128, ~0.14 s), so it runs once per feature buffer and is remembered — feature matrices are
 * treated as immutable once handed to a strategy, as the models' caches already require.
 */
import { selectRows, type FeatureMatrix } from '@borda/numeric';
import type { CandidateSet } from './types';

/** Feature buffers already scanned for non-finite values (weakly held: they go with their matrices). */
const finiteBuffers = new WeakSet<ArrayBufferView>();

export function promptCount(candidates: CandidateSet): number {
  return candidates.offsets.length - 1;
}

export function responseCount(candidates: CandidateSet, prompt: number): number {
  return candidates.offsets[prompt + 1] - candidates.offsets[prompt];
}

/**
 * Throws a RangeError naming the offending prompt, offset or feature entry when the set is not
 * usable: offsets must start at 0, never decrease and end at the feature row count; features must
 * be finite. Prompts without responses are legal (they are simply never selectable).
 */
export function validateCandidateSet(candidates: CandidateSet, what = 'candidates'): void {
  if (candidates === null || typeof candidates !== 'object') {
    throw new TypeError(`${what} must be an object with features and offsets, got ${String(candidates)}`);
  }
  const { features, offsets } = candidates;
  if (!features || typeof features !== 'object' || !features.data) {
    throw new TypeError(`${what}.features must be a FeatureMatrix ({ rows, cols, data })`);
  }
  const { rows, cols, data } = features;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`${what}.features has invalid shape ${rows}×${cols}`);
  }
  if (data.length !== rows * cols) {
    throw new RangeError(`${what}.features.data has ${data.length} values, expected rows × cols = ${rows * cols}`);
  }
  if (!offsets || typeof offsets.length !== 'number' || offsets.length < 1) {
    throw new RangeError(`${what}.offsets must hold prompts + 1 entries (at least [0])`);
  }
  if (offsets[0] !== 0) throw new RangeError(`${what}.offsets[0] must be 0, got ${offsets[0]}`);
  const prompts = offsets.length - 1;
  for (let p = 0; p < prompts; p++) {
    const start = offsets[p];
    const end = offsets[p + 1];
    if (!Number.isInteger(end)) throw new RangeError(`${what}.offsets[${p + 1}] (end of prompt ${p}) is ${end}`);
    if (end < start) {
      throw new RangeError(
        `${what}.offsets: prompt ${p} ends at row ${end} before it starts at row ${start} (offsets must be non-decreasing)`,
      );
    }
    if (end > rows) {
      throw new RangeError(`${what}.offsets: prompt ${p} ends at row ${end} but features has only ${rows} rows`);
    }
  }
  if (offsets[prompts] !== rows) {
    throw new RangeError(
      `${what}.offsets[${prompts}] is ${offsets[prompts]} but features has ${rows} rows (the last offset must equal the row count)`,
    );
  }
  if (finiteBuffers.has(data)) return;
  for (let p = 0; p < prompts; p++) {
    for (let r = offsets[p]; r < offsets[p + 1]; r++) {
      for (let j = 0; j < cols; j++) {
        const v = data[r * cols + j];
        if (!Number.isFinite(v)) {
          throw new RangeError(
            `${what}.features: prompt ${p}, response ${r - offsets[p]} (row ${r}), column ${j} is ${v}, not a finite number`,
          );
        }
      }
    }
  }
  finiteBuffers.add(data);
}

/** The prompt that owns feature row `row` (binary search over the offsets). */
export function promptOfRow(candidates: CandidateSet, row: number): number {
  const { offsets } = candidates;
  const prompts = offsets.length - 1;
  if (!Number.isInteger(row) || row < 0 || row >= offsets[prompts]) {
    throw new RangeError(`row ${row} is outside the candidate set (0 .. ${offsets[prompts] - 1})`);
  }
  // Largest p with offsets[p] <= row; empty prompts share their offset with the next one, so the
  // search must land on the last of them, the one that actually owns rows.
  let lo = 0;
  let hi = prompts - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Prompts with at least `minResponses` responses, in index order (2 = every prompt a pair can be asked on). */
export function selectablePrompts(candidates: CandidateSet, minResponses = 2): Int32Array {
  const { offsets } = candidates;
  const prompts = offsets.length - 1;
  let count = 0;
  for (let p = 0; p < prompts; p++) if (offsets[p + 1] - offsets[p] >= minResponses) count++;
  const out = new Int32Array(count);
  let k = 0;
  for (let p = 0; p < prompts; p++) if (offsets[p + 1] - offsets[p] >= minResponses) out[k++] = p;
  return out;
}

export interface CandidateBuildOptions {
  /** Store features as Float32Array (half the memory for large campaigns; default false = Float64Array). */
  readonly float32?: boolean;
}

/** Builds a candidate set from per-prompt lists of feature rows (rows[p][k] = features of response k of prompt p). */
export function candidateSetFromRows(
  rows: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>,
  options: CandidateBuildOptions = {},
): CandidateSet {
  const offsets = new Int32Array(rows.length + 1);
  let cols = -1;
  for (let p = 0; p < rows.length; p++) {
    const responses = rows[p];
    if (!responses || typeof responses.length !== 'number')
      throw new TypeError(`prompt ${p}: responses must be an array`);
    offsets[p + 1] = offsets[p] + responses.length;
    for (let k = 0; k < responses.length; k++) {
      const len = responses[k].length;
      if (cols < 0) cols = len;
      else if (len !== cols) {
        throw new RangeError(`prompt ${p}, response ${k} has ${len} feature values, expected ${cols}`);
      }
    }
  }
  const total = offsets[rows.length];
  const width = Math.max(cols, 0);
  const data = options.float32 ? new Float32Array(total * width) : new Float64Array(total * width);
  for (let p = 0; p < rows.length; p++) {
    for (let k = 0; k < rows[p].length; k++) {
      const r = offsets[p] + k;
      const values = rows[p][k];
      for (let j = 0; j < width; j++) {
        const v = values[j];
        if (!Number.isFinite(v)) {
          throw new RangeError(`prompt ${p}, response ${k}, column ${j} is ${v}, not a finite number`);
        }
        data[r * width + j] = v;
      }
    }
  }
  return { features: { rows: total, cols: width, data }, offsets };
}

/** Builds a candidate set from one feature matrix per prompt (one row per response). */
export function candidateSetFromMatrices(matrices: readonly FeatureMatrix[]): CandidateSet {
  const offsets = new Int32Array(matrices.length + 1);
  const cols = matrices.length > 0 ? matrices[0].cols : 0;
  let float32 = matrices.length > 0;
  for (let p = 0; p < matrices.length; p++) {
    const m = matrices[p];
    if (m.cols !== cols) throw new RangeError(`prompt ${p} has ${m.cols} feature columns, expected ${cols}`);
    if (m.data.length !== m.rows * m.cols) throw new RangeError(`prompt ${p}: data length does not match rows × cols`);
    offsets[p + 1] = offsets[p] + m.rows;
    float32 &&= m.data instanceof Float32Array;
  }
  const total = offsets[matrices.length];
  const data = float32 ? new Float32Array(total * cols) : new Float64Array(total * cols);
  for (let p = 0; p < matrices.length; p++) data.set(matrices[p].data, offsets[p] * cols);
  const out: CandidateSet = { features: { rows: total, cols, data }, offsets };
  validateCandidateSet(out);
  return out;
}

/**
 * The arms of the listed prompts only, in the listed order (a prompt listed twice appears twice).
 * Strategies use it to score just the prompts they sampled instead of the whole campaign.
 */
export function candidateSubset(candidates: CandidateSet, prompts: ArrayLike<number>): CandidateSet {
  const { offsets } = candidates;
  const subOffsets = new Int32Array(prompts.length + 1);
  for (let k = 0; k < prompts.length; k++) {
    const p = prompts[k];
    if (!Number.isInteger(p) || p < 0 || p >= offsets.length - 1) {
      throw new RangeError(`candidateSubset: prompt ${p} is not in the candidate set`);
    }
    subOffsets[k + 1] = subOffsets[k] + offsets[p + 1] - offsets[p];
  }
  const rows = new Int32Array(subOffsets[prompts.length]);
  for (let k = 0; k < prompts.length; k++) {
    const start = offsets[prompts[k]];
    for (let i = subOffsets[k]; i < subOffsets[k + 1]; i++) rows[i] = start + i - subOffsets[k];
  }
  return { features: selectRows(candidates.features, rows), offsets: subOffsets };
}
