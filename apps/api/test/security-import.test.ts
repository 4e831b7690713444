/**
 * Issue 12 items 2 and 3: hostile JSONL lines that used to end in a 500 without a line number, pass
 * the dry run and then fail the import, or be changed silently on the way into the database. Each
 * case here failed before the fix; now every one is refused with its line and a code by the dry run
 * and the import alike, or (prototype keys) kept exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from './support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser } from './support/harness';

const good = (id: string) => JSON.stringify({ id, prompt: `question ${id}`, responses: ['a', 'b'] });

/** Metadata nested `depth` levels deep, written directly (JSON.stringify itself overflows on it). */
const deepLine = (id: string, depth: number) =>
  `{"id":"${id}","prompt":"q","responses":["a","b"],"metadata":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;

describe('import security (issue 12 items 2 and 3)', () => {
  let app: TestApp;
  let researcher: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    researcher = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  const post = (campaignId: string, body: string | Buffer, dryRun = false) =>
    app.request('POST', `/campaigns/${campaignId}/imports${dryRun ? '?dryRun=true' : ''}`, {
      token: researcher.token,
      body,
    });

  async function stored(campaignId: string) {
    const { rows } = await app.db.query(
      `SELECT (SELECT count(*)::int FROM prompts WHERE campaign_id = $1) AS prompts,
              (SELECT count(*)::int FROM responses WHERE campaign_id = $1) AS responses`,
      [campaignId],
    );
    return rows[0] as { prompts: number; responses: number };
  }

  /** The dry run and the import refuse `body` with the same line errors, and nothing is written. */
  async function expectRefused(body: string | Buffer, expected: { line: number; code: string; path?: string }[]) {
    const campaign = await createCampaign(app, researcher.token);
    const dry = await post(campaign.id, body, true);
    expect(dry.status).toBe(200);
    expect(dry.body.valid).toBe(false);
    const real = await post(campaign.id, body);
    expect(real.status).toBe(422);
    expect(real.body.code).toBe('IMPORT_INVALID');
    const matchers = expected.map((e) => expect.objectContaining(e));
    expect(dry.body.errors).toEqual(matchers);
    expect(real.body.details.errors).toEqual(dry.body.errors);
    expect(await stored(campaign.id)).toEqual({ prompts: 0, responses: 0 });
    return real.body.details.errors as { line: number; path: string; code: string; message: string }[];
  }

  it.each([5_000, 100_000])('refuses metadata nested %i deep with its line (was a 500)', async (depth) => {
    const body = [good('p1'), deepLine('deep', depth), good('p3')].join('\n');
    const [error] = await expectRefused(body, [{ line: 2, code: 'TOO_DEEP' }]);
    expect(error.path).toMatch(/^metadata\./);
    expect(error.message).toContain('64');
  });

  it('accepts nesting up to the documented limit of 64 levels', async () => {
    const campaign = await createCampaign(app, researcher.token);
    // The line's own object is the first level: its metadata may nest 63 more.
    const res = await post(campaign.id, deepLine('ok', 63));
    expect(res.status).toBe(201);
    const over = await post(campaign.id, deepLine('over', 64), true);
    expect(over.body.errors).toEqual([expect.objectContaining({ line: 1, code: 'TOO_DEEP' })]);
  });

  it('refuses a NUL character in the dry run exactly as in the import (the dry run passed it before)', async () => {
    const lines = [
      good('p1'),
      JSON.stringify({ id: 'p2', prompt: 'nul\u0000here', responses: ['a', 'b'] }),
      JSON.stringify({ id: 'p3', prompt: 'q', responses: ['a', { text: 'b', metadata: { 'k\u0000': 1 } }] }),
    ];
    await expectRefused(lines.join('\n'), [
      { line: 2, code: 'NUL_CHARACTER', path: 'prompt' },
      { line: 3, code: 'NUL_CHARACTER', path: 'responses.1.metadata' },
    ]);
  });

  it('refuses a lone surrogate (jsonb refuses it; a text column would get U+FFFD)', async () => {
    const body = [good('p1'), '{"id":"p2","prompt":"q","responses":["a\\ud800","b"]}'].join('\n');
    await expectRefused(body, [{ line: 2, code: 'LONE_SURROGATE', path: 'responses.0' }]);
  });

  it('refuses invalid UTF-8 with its line instead of replacing it with U+FFFD', async () => {
    const bad = Buffer.concat([
      Buffer.from('{"id":"p2","prompt":"caf'),
      Buffer.from([0xc3, 0x28]), // a lead byte without its continuation
      Buffer.from('","responses":["a","b"]}'),
    ]);
    const body = Buffer.concat([Buffer.from(`${good('p1')}\n`), bad, Buffer.from(`\n${good('p3')}\n`)]);
    await expectRefused(body, [{ line: 2, code: 'INVALID_UTF8' }]);
    // A multi-byte character split over the upload's chunks is fine: lines are decoded whole.
    const campaign = await createCampaign(app, researcher.token);
    const ok = await post(
      campaign.id,
      Buffer.from(JSON.stringify({ id: 'é', prompt: 'café ☕', responses: ['a', 'b'] })),
    );
    expect(ok.status).toBe(201);
  });

  it('refuses duplicate response ids within a prompt, naming the line', async () => {
    const line = JSON.stringify({
      id: 'p2',
      prompt: 'q',
      responses: [
        { id: 'r1', text: 'a' },
        { id: 'r2', text: 'b' },
        { id: 'r1', text: 'c' },
      ],
    });
    const [error] = await expectRefused([good('p1'), line].join('\n'), [
      { line: 2, code: 'DUPLICATE_ID', path: 'responses.2.id' },
    ]);
    expect(error.message).toContain("'r1'");
  });

  it('refuses metadata numbers a double cannot carry (1e400 became null, 1e-400 became 0)', async () => {
    const line = (id: string, value: string) =>
      `{"id":"${id}","prompt":"q","responses":["a","b"],"metadata":{"x":${value}}}`;
    const body = [line('p1', '1e400'), line('p2', '1e-400'), line('p3', '12345678901234567890'), line('p4', '-0')];
    await expectRefused(body.join('\n'), [
      { line: 1, code: 'NUMBER_OUT_OF_RANGE', path: 'metadata.x' },
      { line: 2, code: 'NUMBER_OUT_OF_RANGE' },
      { line: 3, code: 'NUMBER_OUT_OF_RANGE' },
    ]);
  });

  it('keeps __proto__, constructor and prototype keys in metadata exactly (they were dropped)', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const metadata = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"prototype":[1,2],"k":"v"}';
    const response = '{"__proto__":null,"toString":"s"}';
    const body = `{"id":"p1","prompt":"q","metadata":${metadata},"responses":[{"text":"a","metadata":${response}},"b"]}`;
    const dry = await post(campaign.id, body, true);
    expect(dry.body).toMatchObject({ valid: true, promptCount: 1 });
    expect((await post(campaign.id, body)).status).toBe(201);
    // Read back through the API: the same keys and values as the line held.
    const listed = await app.get(`/campaigns/${campaign.id}/prompts`, researcher.token);
    expect(listed.status).toBe(200);
    const [prompt] = listed.body.items;
    expect(canonical(prompt.metadata)).toBe(canonical(JSON.parse(metadata)));
    expect(canonical(prompt.responses[0].metadata)).toBe(canonical(JSON.parse(response)));
    expect(Object.keys(prompt.metadata)).toContain('__proto__');
    // And in the database, as jsonb.
    const { rows } = await app.db.query(`SELECT metadata::text AS m FROM prompts WHERE campaign_id = $1`, [
      campaign.id,
    ]);
    expect(canonical(JSON.parse(rows[0].m))).toBe(canonical(JSON.parse(metadata)));
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

/** JSON text with keys sorted at every level (jsonb keeps its own key order); own __proto__ keys included. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
