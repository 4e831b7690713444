/**
 * Built-in environments by name, and `loadEnvironment`, which also accepts a user's module
 * (.js/.cjs/.mjs), JSON data file (.json) or prompts file (.jsonl). Reading files happens only when
 * asked for (nothing at import).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors';
import type { Environment, EnvironmentOptions } from '../types';
import { environmentFromData, environmentFromModule } from './custom';
import { type RewardFunction, embeddingEnvironment, parsePromptJsonl } from './embedding';
import { GRID_FUNCTIONS, gridEnvironment } from './grid';
import { gpSampleEnvironment } from './gp-sample';
import { linearEnvironment } from './linear';
import { LLM_PRESETS, llmEnvironment } from './llm';
import { mixedEnvironment } from './mixed';

export const ENVIRONMENT_NAMES = [
  'branin',
  'ackley',
  'rosenbrock',
  'hartmann',
  'linear',
  'gp-sample',
  'mixed',
  'embedding',
  'llm-small',
  'llm-large',
] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** The environments whose best responses the AE-Borda bar is stated on (grid functions + mixed). */
export const GRID_AND_MIXED: readonly EnvironmentName[] = ['branin', 'ackley', 'rosenbrock', 'hartmann', 'mixed'];

/** The example prompts shipped with the package (what the built-in `embedding` environment uses). */
export const EXAMPLE_PROMPTS_PATH = join(__dirname, '..', '..', 'examples', 'prompts.jsonl');

export interface LoadEnvironmentOptions extends EnvironmentOptions {
  /** Reward function for JSONL prompt files (default: each line's `rewards`). */
  readonly reward?: RewardFunction;
  /** Base directory for relative paths (default: process.cwd()). */
  readonly cwd?: string;
}

export function isEnvironmentName(name: string): name is EnvironmentName {
  return (ENVIRONMENT_NAMES as readonly string[]).includes(name);
}

/** A built-in environment, deterministic in (name, options). */
export function createEnvironment(name: string, options: LoadEnvironmentOptions = {}): Environment {
  if (name in GRID_FUNCTIONS) return gridEnvironment(GRID_FUNCTIONS[name], options);
  switch (name) {
    case 'linear':
      return linearEnvironment(options);
    case 'gp-sample':
      return gpSampleEnvironment(options);
    case 'mixed':
      return mixedEnvironment(options);
    case 'llm-small':
    case 'llm-large':
      return llmEnvironment({ ...LLM_PRESETS[name], seed: options.seed, name });
    case 'embedding':
      return embeddingEnvironment(
        parsePromptJsonl(readFileSync(EXAMPLE_PROMPTS_PATH, 'utf8'), 'examples/prompts.jsonl'),
        {
          reward: options.reward,
        },
      );
  }
  throw new ConfigError(
    `unknown environment '${name}'; valid names: ${ENVIRONMENT_NAMES.join(', ')} (or a path to a .js/.cjs/.mjs module, .json data file or .jsonl prompts file)`,
  );
}

const MODULE_EXTENSIONS = ['.js', '.cjs', '.mjs'];

/** True when `spec` names a file rather than a built-in environment. */
export function isEnvironmentPath(spec: string): boolean {
  return [...MODULE_EXTENSIONS, '.json', '.jsonl'].includes(extname(spec).toLowerCase());
}

function readText(path: string, spec: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`environment file '${spec}' cannot be read (${code ?? (e as Error).message})`);
  }
}

/** A built-in name, or a path to a user module / JSON data file / JSONL prompts file. */
export async function loadEnvironment(spec: string, options: LoadEnvironmentOptions = {}): Promise<Environment> {
  if (!isEnvironmentPath(spec)) return createEnvironment(spec, options);
  const path = resolve(options.cwd ?? process.cwd(), spec);
  const ext = extname(spec).toLowerCase();
  if (ext === '.json') {
    const text = readText(path, spec);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(`${spec}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    return environmentFromData(value, spec);
  }
  if (ext === '.jsonl') {
    return embeddingEnvironment(parsePromptJsonl(readText(path, spec), spec), { reward: options.reward }, spec);
  }
  readText(path, spec); // a clear "cannot be read" before the loader's own message
  let exported: unknown;
  try {
    exported = ext === '.mjs' ? await import(pathToFileURL(path).href) : createRequire(__filename)(path);
  } catch (e) {
    throw new ConfigError(
      `${spec}: the module failed to load: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    );
  }
  return environmentFromModule(exported, { seed: options.seed }, spec);
}
