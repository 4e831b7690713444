/**
 * `npm start -- --demo`: a small campaign to click through, built through the public API the way
 * a researcher would (create, import JSONL, assign a labeler, start).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const DEMO_NAME = 'Demo: helpful answers';
const DEMO_LABELER = { email: 'labeler@borda.local', name: 'Demo labeler', password: 'demo-labeler-pass' };

async function call<T>(base: string, method: string, route: string, token: string | null, body?: unknown, raw = false) {
  const response = await fetch(base + route, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'content-type': raw ? 'application/x-ndjson' : 'application/json',
    },
    body: body === undefined ? undefined : raw ? String(body) : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} failed with ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** The simulator's example prompts as import lines (their true rewards kept as metadata). */
export function demoJsonl(root: string): string {
  const file = path.join(root, 'libs/simulator/examples/prompts.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const { prompt, responses, rewards } = JSON.parse(line) as {
        prompt: string;
        responses: string[];
        rewards: number[];
      };
      return JSON.stringify({ id: `demo-${i + 1}`, prompt, responses, metadata: { trueRewards: rewards } });
    })
    .join('\n');
}

export async function seedDemo(base: string, root: string, admin: { email: string; password: string }) {
  const { accessToken } = await call<{ accessToken: string }>(base, 'POST', '/auth/login', null, admin);
  const existing = await call<{ items?: { name: string }[] } | { name: string }[]>(
    base,
    'GET',
    '/campaigns',
    accessToken,
  );
  const list = Array.isArray(existing) ? existing : (existing.items ?? []);
  if (list.some((c) => c.name === DEMO_NAME)) return { created: false, labeler: DEMO_LABELER };
  const users = await call<{ email: string; id: string }[]>(base, 'GET', '/users?role=labeler', accessToken);
  const labeler =
    users.find((u) => u.email === DEMO_LABELER.email) ??
    (await call<{ id: string }>(base, 'POST', '/users', accessToken, { ...DEMO_LABELER, role: 'labeler' }));
  const campaign = await call<{ id: string }>(base, 'POST', '/campaigns', accessToken, {
    name: DEMO_NAME,
    description: 'Which answer is more helpful? Sixteen prompts with five candidate answers each.',
    guidelines:
      '- Prefer the answer that is **correct**, then the one that is **helpful** and polite.\n- Use *tie* when both are equally good, *both bad* when neither is acceptable.',
    strategy: 'ae-borda',
    budget: 200,
    redundancy: 1,
    retrainEvery: 10,
    batchSize: 4,
    bufferSize: 8,
    labelerIds: [labeler.id],
  });
  await call(base, 'POST', `/campaigns/${campaign.id}/imports`, accessToken, demoJsonl(root), true);
  await call(base, 'POST', `/campaigns/${campaign.id}/start`, accessToken, {});
  return { created: true, labeler: DEMO_LABELER };
}
