/**
 * Held-out metrics of a fitted reward model (ModelMetrics). The pairwise probability is
 * P(first ≻ second) = σ(a·(u_first − u_second)) with u the posterior mean utility and a fitted on
 * the training split by 1-D Newton (Platt scaling), so Borda scores and BT rewards both get
 * calibrated probabilities.
 */
import type { CalibrationBin, ModelMetrics } from '@borda/api-contract';
import type { PairObservation, PreferenceModel } from '@borda/reward-model';

export const CALIBRATION_BINS = 10;
/** Training pairs Platt scaling looks at (an evenly strided subset beyond it: predict on GP models is O(n²) per row). */
const PLATT_MAX_PAIRS = 2000;

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** u_first − u_second per observation, from one predict over all rows. */
export function utilityDifferences(model: PreferenceModel, observations: readonly PairObservation[]): Float64Array {
  const n = observations.length;
  const d = model.dimension;
  const data = new Float64Array(2 * n * d);
  observations.forEach((o, i) => {
    data.set(o.first, i * d);
    data.set(o.second, (n + i) * d);
  });
  if (n === 0) return new Float64Array(0);
  const { mean } = model.predict({ rows: 2 * n, cols: d, data });
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean[i] - mean[n + i];
  return out;
}

/** Scale a ≥ 0 maximising Σ y log σ(a x) + (1 − y) log σ(−a x) − 1e-6 a²/2 (Newton from a = 1). */
export function plattScale(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let a = 1;
  for (let iter = 0; iter < 50; iter++) {
    let g = 1e-6 * a;
    let h = 1e-6;
    for (let i = 0; i < x.length; i++) {
      const p = sigmoid(a * x[i]);
      g += (p - y[i]) * x[i];
      h += p * (1 - p) * x[i] * x[i];
    }
    const step = g / h;
    const next = Math.min(1e4, Math.max(0, a - step));
    if (!Number.isFinite(next)) break;
    const done = Math.abs(next - a) < 1e-9 * Math.max(1, a);
    a = next;
    if (done) break;
  }
  return a;
}

function strided<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]);
}

export function calibrationBins(p: ArrayLike<number>, y: ArrayLike<number>): CalibrationBin[] {
  const count = new Array<number>(CALIBRATION_BINS).fill(0);
  const sumP = new Array<number>(CALIBRATION_BINS).fill(0);
  const sumY = new Array<number>(CALIBRATION_BINS).fill(0);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(CALIBRATION_BINS - 1, Math.floor(p[i] * CALIBRATION_BINS));
    count[b]++;
    sumP[b] += p[i];
    sumY[b] += y[i];
  }
  return count.map((c, b) => ({
    lower: b / CALIBRATION_BINS,
    upper: (b + 1) / CALIBRATION_BINS,
    count: c,
    meanPredicted: c > 0 ? sumP[b] / c : 0,
    observedRate: c > 0 ? sumY[b] / c : 0,
  }));
}

/** Metrics of `model` (fitted on `train`) on `test`. */
export function evaluateModel(
  model: PreferenceModel,
  train: readonly PairObservation[],
  test: readonly PairObservation[],
  extra: { fitMs: number; tensorflowBackend?: string },
): ModelMetrics {
  const plattPairs = strided(train, PLATT_MAX_PAIRS);
  const scale = plattPairs.length
    ? plattScale(
        utilityDifferences(model, plattPairs),
        plattPairs.map((o) => o.outcome),
      )
    : 1;
  const base = {
    modelKind: model.kind,
    trainSize: train.length,
    testSize: test.length,
    probabilityScale: scale,
    fitMs: extra.fitMs,
    ...(extra.tensorflowBackend ? { tensorflowBackend: extra.tensorflowBackend } : {}),
  };
  if (test.length === 0) {
    return { ...base, heldOutAccuracy: null, logLoss: null, brier: null, ece: null, calibration: [] };
  }
  const diff = utilityDifferences(model, test);
  const y = test.map((o) => o.outcome);
  const p = Array.from(diff, (x) => sigmoid(scale * x));
  let decisive = 0;
  let correct = 0;
  let logLoss = 0;
  let brier = 0;
  for (let i = 0; i < test.length; i++) {
    if (y[i] === 1 || y[i] === 0) {
      decisive++;
      const sign = y[i] === 1 ? diff[i] : -diff[i];
      correct += sign > 0 ? 1 : sign === 0 ? 0.5 : 0;
    }
    const q = Math.min(1 - 1e-12, Math.max(1e-12, p[i]));
    logLoss -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
    brier += (p[i] - y[i]) ** 2;
  }
  const calibration = calibrationBins(p, y);
  const ece = calibration.reduce((s, b) => s + (b.count / test.length) * Math.abs(b.meanPredicted - b.observedRate), 0);
  return {
    ...base,
    heldOutAccuracy: decisive > 0 ? correct / decisive : null,
    logLoss: logLoss / test.length,
    brier: brier / test.length,
    ece,
    calibration,
  };
}
