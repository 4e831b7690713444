/**
 * Explicit checks of a finished Environment, whatever produced it: a user's module can hand over
 * typed arrays that no schema looks inside. Every message names the prompt/response and field.
 */
import { ConfigError } from '../errors';
import type { Environment } from '../types';

function where(offsets: Int32Array, row: number): string {
  let p = 0;
  while (p + 1 < offsets.length && offsets[p + 1] <= row) p++;
  return `prompt ${p}, response ${row - offsets[p]} (row ${row})`;
}

export function validateEnvironment(env: Environment, source = env.name): Environment {
  const fail = (message: string): never => {
    throw new ConfigError(`${source}: ${message}`);
  };
  const { offsets, features, reward } = env;
  if (!(offsets instanceof Int32Array)) fail('offsets must be an Int32Array');
  if (offsets.length < 2) fail(`needs at least one prompt (offsets has ${offsets.length} entries)`);
  if (offsets[0] !== 0) fail(`offsets[0] must be 0, got ${offsets[0]}`);
  for (let p = 0; p + 1 < offsets.length; p++) {
    const count = offsets[p + 1] - offsets[p];
    if (count < 2) fail(`prompt ${p} has ${count} response(s); every prompt needs at least 2 to compare`);
  }
  const rows = offsets[offsets.length - 1];
  if (!Number.isInteger(features.rows) || !Number.isInteger(features.cols) || features.cols < 1) {
    fail(`features must have integer rows and cols ≥ 1, got ${features.rows}×${features.cols}`);
  }
  if (features.rows !== rows) fail(`features has ${features.rows} rows but the prompts hold ${rows} responses`);
  if (features.data.length !== features.rows * features.cols) {
    fail(`features.data has ${features.data.length} values, expected rows × cols = ${features.rows * features.cols}`);
  }
  if (reward.length !== rows) fail(`reward has ${reward.length} values but the prompts hold ${rows} responses`);
  for (let k = 0; k < features.data.length; k++) {
    const v = features.data[k];
    if (!Number.isFinite(v)) {
      fail(
        `${where(offsets, Math.floor(k / features.cols))}: features[${k % features.cols}] is ${v}, not a finite number`,
      );
    }
  }
  for (let i = 0; i < rows; i++) {
    if (!Number.isFinite(reward[i])) fail(`${where(offsets, i)}: reward is ${reward[i]}, not a finite number`);
  }
  if (env.promptLabels && env.promptLabels.length !== offsets.length - 1) {
    fail(`promptLabels has ${env.promptLabels.length} entries for ${offsets.length - 1} prompts`);
  }
  if (env.responseLabels && env.responseLabels.length !== rows) {
    fail(`responseLabels has ${env.responseLabels.length} entries for ${rows} responses`);
  }
  if (env.lengthscale !== undefined && !(env.lengthscale > 0 && Number.isFinite(env.lengthscale))) {
    fail(`lengthscale must be a positive number, got ${env.lengthscale}`);
  }
  return env;
}
