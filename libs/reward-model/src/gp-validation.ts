/**
 * Input checks shared by the Borda regression models (exact GP and low-rank). They run before any
 * state changes, so a rejected batch leaves the model exactly as it was.
 */
import { assertFinite, type FeatureMatrix } from '@borda/numeric';
import type { PairObservation } from './model';

export function validateObservations(observations: readonly PairObservation[], dimension: number, where: string): void {
  if (!Array.isArray(observations)) throw new TypeError(`${where}: observations must be an array`);
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i];
    if (o === null || typeof o !== 'object') throw new TypeError(`${where}: observation ${i} is not an object`);
    const first = o.first;
    if (first === undefined || first === null || typeof first.length !== 'number') {
      throw new TypeError(`${where}: observation ${i}: first is missing or not an array of numbers`);
    }
    if (first.length !== dimension) {
      throw new RangeError(
        `${where}: observation ${i}: first has ${first.length} values, expected dimension ${dimension}`,
      );
    }
    for (let k = 0; k < dimension; k++) {
      const v = first[k];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new RangeError(`${where}: observation ${i}: first[${k}] is ${String(v)}, not a finite number`);
      }
    }
    const y = o.outcome;
    if (typeof y !== 'number' || !(y >= 0 && y <= 1)) {
      throw new RangeError(`${where}: observation ${i}: outcome is ${String(y)}, must be a number in [0, 1]`);
    }
  }
}

/** Checks the shape only (the finiteness scan is left to callers that can afford O(rows × cols)). */
export function validateFeatureShape(features: FeatureMatrix, dimension: number, where: string): void {
  if (features === null || typeof features !== 'object' || !features.data) {
    throw new TypeError(`${where}: features must be a FeatureMatrix { rows, cols, data }`);
  }
  if (features.cols !== dimension) {
    throw new RangeError(`${where}: features have ${features.cols} columns, expected dimension ${dimension}`);
  }
  if (!Number.isInteger(features.rows) || features.rows < 0 || features.data.length < features.rows * features.cols) {
    throw new RangeError(
      `${where}: features claim ${features.rows} rows × ${features.cols} columns but data holds ${features.data.length} values`,
    );
  }
}

/** Throws naming the first non-finite entry of the matrix. */
export function assertFiniteFeatures(features: FeatureMatrix, where: string): void {
  assertFinite(features, `${where}: features`);
}

export function requirePositive(value: number, field: string): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${field} must be a positive finite number, got ${String(value)}`);
  }
  return value;
}

export function requireFinite(value: number, field: string): number {
  if (!(typeof value === 'number' && Number.isFinite(value))) {
    throw new RangeError(`${field} must be a finite number, got ${String(value)}`);
  }
  return value;
}

export function requireDimension(value: number, field: string): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(`${field} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export function requireCount(value: number, field: string): number {
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new RangeError(`${field} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}
