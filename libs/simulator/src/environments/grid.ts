/**
 * Grid environments (algorithms.md §5): a 2-D test function, its first input the context (prompt)
 * and its second the action (response), each on a grid of `gridSize` points. The reward is the
 * negated function (they are minimisation problems) mapped affinely onto [−3, 3]; the features of
 * arm (i, j) are the grid coordinates scaled to [0, 1]².
 */
import type { Environment, EnvironmentOptions } from '../types';
import { buildRows, linspace, requireInteger, rescale, uniformOffsets } from './build';
import { HARTMANN_SLICE_X3, ackley, branin, hartmann3, rosenbrock } from './test-functions';

export const DEFAULT_GRID_SIZE = 20;
export const REWARD_LIMIT = 3;

export interface GridFunctionSpec {
  readonly name: string;
  readonly fn: (context: number, action: number) => number;
  /** Domain of the context input. */
  readonly context: readonly [number, number];
  /** Domain of the action input. */
  readonly action: readonly [number, number];
  /**
   * RBF lengthscale suited to the function in the unit-square feature space: read off the GP
   * marginal likelihood of the noise-free reward surface on a 15×15 grid (a property of the function,
   * not of any strategy), rounded towards the shorter side.
   */
  readonly lengthscale: number;
  readonly description: string;
}

/**
 * The four shipped grid functions. Ackley's usual ±32.768 box is shrunk to ±2: on a 20-point grid
 * the wider box samples its cosine ripple about once per period, which turns it into noise that no
 * smooth model can learn (every method would fail the same way and the comparison would say nothing).
 */
export const GRID_FUNCTIONS: Readonly<Record<string, GridFunctionSpec>> = {
  branin: {
    name: 'branin',
    fn: branin,
    context: [-5, 10],
    action: [0, 15],
    lengthscale: 0.25,
    description: 'Branin–Hoo, context x1 ∈ [−5, 10], action x2 ∈ [0, 15]',
  },
  ackley: {
    name: 'ackley',
    fn: ackley,
    context: [-2, 2],
    action: [-2, 2],
    lengthscale: 0.1,
    description: 'Ackley, context x1 ∈ [−2, 2], action x2 ∈ [−2, 2]',
  },
  rosenbrock: {
    name: 'rosenbrock',
    fn: rosenbrock,
    context: [-2, 2],
    action: [-1, 3],
    lengthscale: 0.25,
    description: 'Rosenbrock, context x1 ∈ [−2, 2], action x2 ∈ [−1, 3]',
  },
  hartmann: {
    name: 'hartmann',
    fn: (c, a) => hartmann3(c, a, HARTMANN_SLICE_X3),
    context: [0, 1],
    action: [0, 1],
    lengthscale: 0.2,
    description: `3-D Hartmann sliced at x3 = ${HARTMANN_SLICE_X3} (through the global minimum), context x1, action x2 ∈ [0, 1]`,
  },
};

export const GRID_ENVIRONMENT_NAMES = Object.keys(GRID_FUNCTIONS);

/** Builds the grid environment of `spec` (no randomness: the seed is irrelevant here). */
export function gridEnvironment(spec: GridFunctionSpec, options: EnvironmentOptions = {}): Environment {
  const n = requireInteger(options.gridSize ?? DEFAULT_GRID_SIZE, 'gridSize', 2, 200);
  const xs = linspace(spec.context[0], spec.context[1], n);
  const as = linspace(spec.action[0], spec.action[1], n);
  const unit = linspace(0, 1, n);
  const raw = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) raw[i * n + j] = -spec.fn(xs[i], as[j]);
  const features = buildRows(n * n, 2, (k, out) => {
    out[0] = unit[Math.floor(k / n)];
    out[1] = unit[k % n];
  });
  return {
    name: spec.name,
    offsets: uniformOffsets(n, n),
    features,
    reward: rescale(raw, -REWARD_LIMIT, REWARD_LIMIT),
    promptLabels: Array.from(xs, (x) => `x=${x.toFixed(3)}`),
    lengthscale: spec.lengthscale,
    description: `${spec.description}; ${n}×${n} grid, reward −f rescaled to [−3, 3]`,
  };
}

export const braninEnvironment = (o?: EnvironmentOptions) => gridEnvironment(GRID_FUNCTIONS.branin, o);
export const ackleyEnvironment = (o?: EnvironmentOptions) => gridEnvironment(GRID_FUNCTIONS.ackley, o);
export const rosenbrockEnvironment = (o?: EnvironmentOptions) => gridEnvironment(GRID_FUNCTIONS.rosenbrock, o);
export const hartmannEnvironment = (o?: EnvironmentOptions) => gridEnvironment(GRID_FUNCTIONS.hartmann, o);
