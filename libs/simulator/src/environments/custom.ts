/**
 * User environments that plug in without touching the library (README "Custom environments"):
 * - a data object, the shape of an environment JSON file:
 *   `{ name?, lengthscale?, prompts: [{ id?, text?, responses: [{ features: number[], reward, text? }] }] }`;
 * - what a module exports: an Environment-shaped object (`offsets`, `features`, `reward`), a
 *   per-prompt object `{ prompts, responses?, features, reward }`, or a function
 *   `(options: { seed }) => either of those` (may return a promise).
 * Structure is checked with zod, cross-field rules (≥ 2 responses, ragged rows, lengths) explicitly;
 * every message names the prompt/response index and the field.
 */
import { z } from 'zod';
import { ConfigError } from '../errors';
import type { Environment } from '../types';
import { validateEnvironment } from './validate';

const finite = z.number();
const responseSchema = z.object({
  features: z.array(finite),
  reward: finite,
  text: z.string().optional(),
});
export const environmentDataSchema = z.object({
  name: z.string().optional(),
  lengthscale: z.number().positive().optional(),
  prompts: z
    .array(
      z.object({
        id: z.union([z.string(), z.number()]).optional(),
        text: z.string().optional(),
        responses: z.array(responseSchema),
      }),
    )
    .min(1),
});
export type EnvironmentData = z.infer<typeof environmentDataSchema>;

const rewardFunction = z.custom<(prompt: number, response: number) => number>((v) => typeof v === 'function', {
  message: 'expected a function (prompt, response) => number',
});
export const perPromptSchema = z.object({
  name: z.string().optional(),
  lengthscale: z.number().positive().optional(),
  prompts: z.array(z.string()).min(1),
  responses: z.array(z.array(z.string())).optional(),
  features: z.array(z.array(z.array(finite))),
  reward: z.union([z.array(z.array(finite)), rewardFunction]),
});
export type PerPromptEnvironment = z.infer<typeof perPromptSchema>;

const numberArray = z.union([z.array(finite), z.instanceof(Float64Array), z.instanceof(Float32Array)]);
export const environmentShapeSchema = z.object({
  name: z.string().optional(),
  lengthscale: z.number().positive().optional(),
  description: z.string().optional(),
  offsets: z.union([z.instanceof(Int32Array), z.array(z.number().int())]),
  features: z.union([
    z.object({ rows: z.number().int(), cols: z.number().int(), data: numberArray }),
    z.array(z.array(finite)),
  ]),
  reward: numberArray,
  promptLabels: z.array(z.string()).optional(),
  responseLabels: z.array(z.string()).optional(),
});

/** `prompts.3.responses.1.features.2` → `prompt 3, response 1, features[2]`. */
function formatPath(path: readonly PropertyKey[], perPrompt: boolean): string {
  const parts: string[] = [];
  let i = 0;
  if (perPrompt && typeof path[0] === 'string' && path[0] !== 'prompts' && typeof path[1] === 'number') {
    // per-prompt arrays: features[p][k][c], reward[p][k], responses[p][k]
    parts.push(`prompt ${path[1]}`);
    if (typeof path[2] === 'number') parts.push(`response ${path[2]}`);
    const rest = path.slice(typeof path[2] === 'number' ? 3 : 2).map((k) => `[${String(k)}]`);
    parts.push(`${String(path[0])}${rest.join('')}`);
    return parts.join(', ');
  }
  let field = '';
  while (i < path.length) {
    const key = path[i];
    if (key === 'prompts' && typeof path[i + 1] === 'number') {
      parts.push(`prompt ${path[i + 1] as number}`);
      i += 2;
    } else if (key === 'responses' && typeof path[i + 1] === 'number') {
      parts.push(`response ${path[i + 1] as number}`);
      i += 2;
    } else {
      field += typeof key === 'number' ? `[${key}]` : field ? `.${String(key)}` : String(key);
      i++;
    }
  }
  if (field) parts.push(field);
  return parts.join(', ') || '(top level)';
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, source: string, perPrompt = false): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 3)
    .map((issue) => `${formatPath(issue.path, perPrompt)}: ${issue.message}`);
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  throw new ConfigError(`${source}: ${issues.join('; ')}${more}`);
}

function assemble(
  source: string,
  name: string,
  rows: { prompt: number; response: number; features: readonly number[]; reward: number; text?: string }[][],
  extra: Partial<Environment>,
): Environment {
  const fail = (message: string): never => {
    throw new ConfigError(`${source}: ${message}`);
  };
  const cols = rows[0]?.[0]?.features.length ?? 0;
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((responses, p) => {
    if (responses.length < 2) {
      fail(`prompt ${p} has ${responses.length} response(s); every prompt needs at least 2 to compare`);
    }
    offsets[p + 1] = offsets[p] + responses.length;
  });
  if (cols === 0) fail('prompt 0, response 0: features is empty');
  const total = offsets[rows.length];
  const data = new Float64Array(total * cols);
  const reward = new Float64Array(total);
  const texts: string[] = [];
  let anyText = false;
  rows.forEach((responses, p) =>
    responses.forEach((r, k) => {
      if (r.features.length !== cols) {
        fail(
          `prompt ${p}, response ${k}: features has ${r.features.length} values, expected ${cols} like prompt 0, response 0 (ragged features)`,
        );
      }
      const i = offsets[p] + k;
      data.set(r.features, i * cols);
      reward[i] = r.reward;
      texts.push(r.text ?? '');
      anyText ||= r.text !== undefined;
    }),
  );
  return validateEnvironment(
    {
      name,
      offsets,
      features: { rows: total, cols, data },
      reward,
      ...(anyText ? { responseLabels: texts } : {}),
      ...extra,
    },
    source,
  );
}

/** An environment from the JSON data-file shape. */
export function environmentFromData(value: unknown, source = 'environment data'): Environment {
  const data = parseWith(environmentDataSchema, value, source);
  const rows = data.prompts.map((prompt, p) => prompt.responses.map((r, k) => ({ prompt: p, response: k, ...r })));
  const labels = data.prompts.map(
    (prompt, p) => prompt.text ?? (prompt.id !== undefined ? String(prompt.id) : `prompt ${p}`),
  );
  return assemble(source, data.name ?? 'custom', rows, {
    promptLabels: labels,
    ...(data.lengthscale !== undefined ? { lengthscale: data.lengthscale } : {}),
  });
}

/** An environment from the per-prompt module shape `{ prompts, responses?, features, reward }`. */
export function environmentFromPerPrompt(value: unknown, source = 'environment module'): Environment {
  const env = parseWith(perPromptSchema, value, source, true);
  const fail = (message: string): never => {
    throw new ConfigError(`${source}: ${message}`);
  };
  const n = env.prompts.length;
  if (env.features.length !== n)
    fail(`features has ${env.features.length} entries for ${n} prompts (mismatched lengths)`);
  if (env.responses && env.responses.length !== n) {
    fail(`responses has ${env.responses.length} entries for ${n} prompts (mismatched lengths)`);
  }
  const rewardOf = env.reward;
  if (typeof rewardOf !== 'function' && rewardOf.length !== n) {
    fail(`reward has ${rewardOf.length} entries for ${n} prompts (mismatched lengths)`);
  }
  const rows = env.features.map((feats, p) => {
    if (env.responses && env.responses[p].length !== feats.length) {
      fail(
        `prompt ${p}: responses has ${env.responses[p].length} texts for ${feats.length} feature rows (mismatched lengths)`,
      );
    }
    if (typeof rewardOf !== 'function' && rewardOf[p].length !== feats.length) {
      fail(
        `prompt ${p}: reward has ${rewardOf[p].length} values for ${feats.length} feature rows (mismatched lengths)`,
      );
    }
    return feats.map((features, k) => {
      const reward = typeof rewardOf === 'function' ? Number(rewardOf(p, k)) : rewardOf[p][k];
      if (!Number.isFinite(reward)) fail(`prompt ${p}, response ${k}: reward is ${reward}, not a finite number`);
      return { prompt: p, response: k, features, reward, text: env.responses?.[p][k] };
    });
  });
  return assemble(source, env.name ?? 'custom', rows, {
    promptLabels: env.prompts,
    ...(env.lengthscale !== undefined ? { lengthscale: env.lengthscale } : {}),
  });
}

/** An environment from the Environment shape, copying plain arrays into typed ones. */
export function environmentFromShape(value: unknown, source = 'environment module'): Environment {
  const env = parseWith(environmentShapeSchema, value, source);
  let features: Environment['features'];
  if (Array.isArray(env.features)) {
    const rowsIn = env.features;
    const cols = rowsIn[0]?.length ?? 0;
    const data = new Float64Array(rowsIn.length * cols);
    rowsIn.forEach((r, i) => {
      if (r.length !== cols) {
        throw new ConfigError(
          `${source}: features row ${i} has ${r.length} values, expected ${cols} (ragged features)`,
        );
      }
      data.set(r, i * cols);
    });
    features = { rows: rowsIn.length, cols, data };
  } else {
    const f = env.features;
    features = { rows: f.rows, cols: f.cols, data: Array.isArray(f.data) ? Float64Array.from(f.data) : f.data };
  }
  return validateEnvironment(
    {
      name: env.name ?? 'custom',
      offsets: env.offsets instanceof Int32Array ? env.offsets : Int32Array.from(env.offsets),
      features,
      reward: env.reward instanceof Float64Array ? env.reward : Float64Array.from(env.reward),
      ...(env.promptLabels ? { promptLabels: env.promptLabels } : {}),
      ...(env.responseLabels ? { responseLabels: env.responseLabels } : {}),
      ...(env.lengthscale !== undefined ? { lengthscale: env.lengthscale } : {}),
      ...(env.description ? { description: env.description } : {}),
    },
    source,
  );
}

/**
 * What a user module exported (its default export or module.exports): an object of either shape,
 * or a function of `{ seed }` returning one (sync or async).
 */
export async function environmentFromModule(
  exported: unknown,
  options: { seed?: number } = {},
  source = 'environment module',
): Promise<Environment> {
  let value = exported;
  if (value && typeof value === 'object' && 'default' in value && !('offsets' in value) && !('prompts' in value)) {
    value = (value as { default: unknown }).default;
  }
  if (typeof value === 'function') {
    try {
      value = await (value as (o: { seed: number }) => unknown)({ seed: options.seed ?? 1 });
    } catch (e) {
      throw new ConfigError(`${source}: the exported function threw: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!value || typeof value !== 'object') {
    throw new ConfigError(
      `${source}: must export an environment object or a function ({ seed }) => environment, got ${value === null ? 'null' : typeof value}`,
    );
  }
  if ('offsets' in value) return environmentFromShape(value, source);
  if ('prompts' in value) {
    const prompts = (value as { prompts: unknown }).prompts;
    // A JSON-file-shaped object (prompts with nested responses) is accepted from a module too.
    if (Array.isArray(prompts) && prompts.length > 0 && typeof prompts[0] === 'object')
      return environmentFromData(value, source);
    return environmentFromPerPrompt(value, source);
  }
  throw new ConfigError(
    `${source}: the environment needs either offsets/features/reward or prompts/features/reward (got keys: ${Object.keys(value).join(', ') || 'none'})`,
  );
}
