/**
 * Campaign fixtures other test files may reuse: a JSONL generator and campaign helpers that go
 * through the real API (so they exercise the same validation a user's request does).
 */
import type { TestApp } from './harness';

export interface JsonlOptions {
  /** Prefix of the prompt ids (ids are `${idPrefix}${i}`). */
  idPrefix?: string;
  /** First index (so a second file can continue without id clashes). */
  start?: number;
  /** Supply embeddings of this dimension on every prompt and response. */
  embeddingDim?: number;
  /** Add ref_logprob to every response. */
  refLogprobs?: boolean;
  /** Use multi-turn `messages` instead of `prompt` for every other prompt. */
  messages?: boolean;
}

/** One JSONL line as an object (before JSON.stringify), for tests that want to break it. */
export function jsonlLine(i: number, responsesPerPrompt: number, options: JsonlOptions = {}): Record<string, unknown> {
  const id = `${options.idPrefix ?? 'p'}${i}`;
  const vector = (seed: number) =>
    Array.from({ length: options.embeddingDim ?? 0 }, (_, k) => Math.sin(seed * 7.1 + k * 1.3));
  const responses = Array.from({ length: responsesPerPrompt }, (_, j) => ({
    text: `answer ${j} to question ${i}`,
    model: `model-${j % 3}`,
    ...(options.refLogprobs ? { ref_logprob: -1 - j * 0.25 } : {}),
    ...(options.embeddingDim ? { embedding: vector(i * 100 + j + 1) } : {}),
  }));
  const prompt =
    options.messages && i % 2 === 1
      ? { messages: [{ role: 'user', content: `question ${i}` }] }
      : { prompt: `question ${i}: which answer is best?` };
  return {
    id,
    ...prompt,
    metadata: { topic: `t${i % 5}` },
    ...(options.embeddingDim ? { embedding: vector(i) } : {}),
    responses,
  };
}

/** `n` prompts with `responsesPerPrompt` responses each, as a JSONL string (trailing newline). */
export function jsonl(n: number, responsesPerPrompt = 4, options: JsonlOptions = {}): string {
  const start = options.start ?? 0;
  const lines: string[] = [];
  for (let i = start; i < start + n; i++) lines.push(JSON.stringify(jsonlLine(i, responsesPerPrompt, options)));
  return lines.join('\n') + '\n';
}

export const DEFAULT_CAMPAIGN = {
  name: 'Helpfulness',
  guidelines: 'Pick the more helpful answer.',
  strategy: 'ae-borda',
  budget: 200,
};

/** Creates a campaign through the API (asserting 201) and returns its body. */
export async function createCampaign(
  app: TestApp,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<Record<string, any> & { id: string }> {
  const res = await app.post('/campaigns', { ...DEFAULT_CAMPAIGN, ...overrides }, token);
  if (res.status !== 201) throw new Error(`creating a campaign failed: ${res.status} ${res.text}`);
  return res.body;
}

/** Imports JSONL into a campaign (asserting 201) and returns the import result. */
export async function importJsonl(app: TestApp, token: string, campaignId: string, body: string) {
  const res = await app.request('POST', `/campaigns/${campaignId}/imports`, { token, body });
  if (res.status !== 201) throw new Error(`import failed: ${res.status} ${res.text}`);
  return res.body as { importId: string; promptCount: number; responseCount: number; totalPrompts: number };
}

/** A campaign with `prompts` imported prompts, started (status active). */
export async function createActiveCampaign(
  app: TestApp,
  token: string,
  options: { prompts?: number; responsesPerPrompt?: number; overrides?: Record<string, unknown> } = {},
) {
  const campaign = await createCampaign(app, token, options.overrides);
  await importJsonl(app, token, campaign.id, jsonl(options.prompts ?? 10, options.responsesPerPrompt ?? 4));
  const started = await app.post(`/campaigns/${campaign.id}/start`, {}, token);
  if (started.status !== 200) throw new Error(`start failed: ${started.status} ${started.text}`);
  return started.body as Record<string, any> & { id: string };
}
