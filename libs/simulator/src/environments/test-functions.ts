/**
 * Classic optimisation test functions (to be minimised) with their usual constants, so the grid
 * environments can be checked against published reference values.
 */

/** Branin–Hoo on x1 ∈ [−5, 10], x2 ∈ [0, 15]; global minimum 0.397887 at (−π, 12.275), (π, 2.275), (9.42478, 2.475). */
export function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

/** Two-dimensional Ackley (a = 20, b = 0.2, c = 2π); global minimum 0 at the origin. */
export function ackley(x1: number, x2: number): number {
  const r = Math.sqrt(0.5 * (x1 * x1 + x2 * x2));
  const c = 0.5 * (Math.cos(2 * Math.PI * x1) + Math.cos(2 * Math.PI * x2));
  return -20 * Math.exp(-0.2 * r) - Math.exp(c) + Math.E + 20;
}

/** Two-dimensional Rosenbrock; global minimum 0 at (1, 1). */
export function rosenbrock(x1: number, x2: number): number {
  return (1 - x1) ** 2 + 100 * (x2 - x1 * x1) ** 2;
}

const HARTMANN3_ALPHA = [1, 1.2, 3, 3.2];
const HARTMANN3_A = [
  [3, 10, 30],
  [0.1, 10, 35],
  [3, 10, 30],
  [0.1, 10, 35],
];
const HARTMANN3_P = [
  [0.3689, 0.117, 0.2673],
  [0.4699, 0.4387, 0.747],
  [0.1091, 0.8732, 0.5547],
  [0.03815, 0.5743, 0.8828],
];

/** Three-dimensional Hartmann on [0, 1]³; global minimum −3.86278 at (0.114614, 0.555649, 0.852547). */
export function hartmann3(x1: number, x2: number, x3: number): number {
  const x = [x1, x2, x3];
  let f = 0;
  for (let i = 0; i < 4; i++) {
    let s = 0;
    for (let j = 0; j < 3; j++) s += HARTMANN3_A[i][j] * (x[j] - HARTMANN3_P[i][j]) ** 2;
    f -= HARTMANN3_ALPHA[i] * Math.exp(-s);
  }
  return f;
}

/** Third Hartmann coordinate of the global minimiser: the 2-D slice keeps the global minimum. */
export const HARTMANN_SLICE_X3 = 0.852547;
