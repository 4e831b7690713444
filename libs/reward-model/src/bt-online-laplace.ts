/**
 * The online Laplace (assumed-density) step of LaplaceBradleyTerry and small shared helpers.
 *
 * With the current posterior N(θ̂, H⁻¹) as the prior for one new pair (z, y), the exact MAP of
 * log-lik(y | θᵀz) − ½(θ − θ̂)ᵀH(θ − θ̂) lies on the line θ̂ + t·H⁻¹z (the likelihood depends on θ only
 * through s = θᵀz), so it is a 1-D concave problem in s with curvature 1/q, q = zᵀH⁻¹z. H then takes
 * the likelihood's curvature σ'(ŝ) at the new mode as a rank-one update of its upper factor: O(p²).
 */
import { dot, sigmoid } from '@borda/numeric';
import { choleskyRankOneUpdate, solveUpper, solveUpperTransposed } from './low-rank-factor';

/** Updates θ̂ and U (H = UᵀU) in place for one pair; `z` is overwritten. */
export function onlineLaplaceStep(U: Float64Array, theta: Float64Array, z: Float64Array, y: number): void {
  const p = theta.length;
  const direction = solveUpper(U, p, solveUpperTransposed(U, p, z)); // H⁻¹z
  const q = dot(z, direction);
  if (!(q > 0)) return; // z = 0: the pair says nothing about θ.
  const s0 = dot(z, theta);
  const s = solvePairMode(s0, q, y);
  const t = (s - s0) / q;
  for (let k = 0; k < p; k++) theta[k] += t * direction[k];
  const ps = sigmoid(s);
  const root = Math.sqrt(ps * (1 - ps));
  for (let k = 0; k < p; k++) z[k] *= root;
  choleskyRankOneUpdate(U, p, z);
}

/**
 * The mode in s = θᵀz of y·log σ(s) + (1 − y)·log σ(−s) − (s − s0)²/(2q): the root of
 * g(s) = y − σ(s) − (s − s0)/q, decreasing in s, bracketed by s0 and s0 + q(y − σ(s0)).
 */
export function solvePairMode(s0: number, q: number, y: number): number {
  const end = s0 + q * (y - sigmoid(s0));
  let lo = Math.min(s0, end);
  let hi = Math.max(s0, end);
  let s = s0;
  for (let iteration = 0; iteration < 100; iteration++) {
    const ps = sigmoid(s);
    const g = y - ps - (s - s0) / q;
    if (Math.abs(g) < 1e-13) break;
    if (g > 0) lo = s;
    else hi = s;
    let next = s + g / (ps * (1 - ps) + 1 / q);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - s) <= 1e-15 * Math.max(1, Math.abs(s))) break;
    s = next;
  }
  return s;
}

export function grow(values: Float64Array, capacity: number, used: number): Float64Array {
  const out = new Float64Array(capacity);
  out.set(values.subarray(0, used));
  return out;
}

export function checkRow(row: ArrayLike<number>, width: number, what: string): void {
  if (row.length !== width) throw new RangeError(`${what} has ${row.length} values, expected ${width}`);
  for (let j = 0; j < width; j++) {
    if (!Number.isFinite(row[j])) throw new RangeError(`${what}, column ${j} is ${row[j]}, not a finite number`);
  }
}

export function requirePositiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${field} must be a positive integer, got ${value}`);
  return value;
}

export function requireAbove(value: number, bound: number, field: string): number {
  if (!(value > bound) || !Number.isFinite(value))
    throw new RangeError(`${field} must be a finite number > ${bound}, got ${value}`);
  return value;
}
