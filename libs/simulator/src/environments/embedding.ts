/**
 * Embedding environment (algorithms.md §5): prompts and responses from JSONL lines
 * `{"prompt": "...", "responses": ["...", ...], "rewards"?: [...]}`, featurised by the platform's
 * own TextFeaturiser into joint [p, r, p ⊙ r] rows — the path real campaigns take. The true reward
 * comes from a user function or, failing that, from each line's `rewards`.
 */
import { TextFeaturiser, type TextFeaturiserOptions } from '@borda/reward-model';
import { z } from 'zod';
import { ConfigError } from '../errors';
import type { Environment } from '../types';
import { validateEnvironment } from './validate';

export interface PromptRecord {
  readonly prompt: string;
  readonly responses: readonly string[];
  readonly rewards?: readonly number[];
}

export type RewardFunction = (prompt: string, response: string, promptIndex: number, responseIndex: number) => number;

export interface EmbeddingEnvironmentOptions {
  /** True reward per (prompt, response); default: each record's `rewards`. */
  readonly reward?: RewardFunction;
  /** TextFeaturiser options (default dimension 32, so joint rows have 96 columns; seed 0). */
  readonly featuriser?: TextFeaturiserOptions;
  /** Kernel lengthscale hint (default 1: joint rows of unit vectors lie within distance ~2). */
  readonly lengthscale?: number;
  readonly name?: string;
}

const recordSchema = z.object({
  prompt: z.string().min(1),
  responses: z.array(z.string()).min(2, 'needs at least 2 responses to compare'),
  rewards: z.array(z.number()).optional(),
});

/** Parses JSONL text into prompt records; messages name the line (1-based) and field. */
export function parsePromptJsonl(text: string, source = 'prompts.jsonl'): PromptRecord[] {
  const records: PromptRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new ConfigError(
        `${source}: line ${i + 1} is not valid JSON (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    const parsed = recordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
      throw new ConfigError(
        `${source}: line ${i + 1} (prompt ${records.length}), ${field.slice(1) || 'record'}: ${issue.message}`,
      );
    }
    const r = parsed.data;
    if (r.rewards && r.rewards.length !== r.responses.length) {
      throw new ConfigError(
        `${source}: line ${i + 1} (prompt ${records.length}): rewards has ${r.rewards.length} values for ${r.responses.length} responses (mismatched lengths)`,
      );
    }
    records.push(r);
  });
  if (records.length === 0) throw new ConfigError(`${source}: no prompts (every line is empty)`);
  return records;
}

export function embeddingEnvironment(
  records: readonly PromptRecord[],
  options: EmbeddingEnvironmentOptions = {},
  source = 'embedding environment',
): Environment {
  if (records.length === 0) throw new ConfigError(`${source}: no prompts`);
  const featuriser = new TextFeaturiser({ dimension: 32, ...options.featuriser });
  const { features, offsets } = featuriser.candidates(
    records.map((r) => r.prompt),
    records.map((r) => r.responses),
  );
  const reward = new Float64Array(features.rows);
  records.forEach((r, p) => {
    r.responses.forEach((response, k) => {
      let value: number;
      if (options.reward) value = options.reward(r.prompt, response, p, k);
      else if (r.rewards) value = r.rewards[k];
      else throw new ConfigError(`${source}: prompt ${p} has no "rewards" and no reward function was given`);
      if (!Number.isFinite(value))
        throw new ConfigError(`${source}: prompt ${p}, response ${k}: reward is ${value}, not a finite number`);
      reward[offsets[p] + k] = value;
    });
  });
  return validateEnvironment(
    {
      name: options.name ?? 'embedding',
      offsets,
      features,
      reward,
      promptLabels: records.map((r) => r.prompt),
      responseLabels: records.flatMap((r) => r.responses),
      lengthscale: options.lengthscale ?? 1,
      description: `${records.length} prompts from JSONL, TextFeaturiser(dimension ${featuriser.dimension}) joint features`,
    },
    source,
  );
}
