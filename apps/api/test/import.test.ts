import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, importJsonl, jsonl, jsonlLine } from './support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser } from './support/harness';

async function rowCounts(app: TestApp, campaignId: string) {
  const { rows } = await app.db.query(
    `SELECT (SELECT count(*)::int FROM prompts WHERE campaign_id = $1) AS prompts,
            (SELECT count(*)::int FROM responses WHERE campaign_id = $1) AS responses,
            (SELECT count(*)::int FROM import_batches WHERE campaign_id = $1) AS batches,
            prompt_count, response_count
     FROM campaigns WHERE id = $1`,
    [campaignId],
  );
  return rows[0] as {
    prompts: number;
    responses: number;
    batches: number;
    prompt_count: number;
    response_count: number;
  };
}

/** Sends `pieces` as a chunked body (no Content-Length), as a streaming client would. */
function postChunked(
  app: TestApp,
  token: string,
  path: string,
  pieces: string[],
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(app.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

const post = (app: TestApp, token: string, id: string, body: string, query = '', contentType?: string) =>
  app.request('POST', `/campaigns/${id}/imports${query}`, { token, body, contentType });

describe('JSONL import', () => {
  let app: TestApp;
  let researcher: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    researcher = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  it('imports prompts and responses, stores embeddings as float32 and queues Featurize', async () => {
    const campaign = await createCampaign(app, researcher.token, { featureSource: 'embedding', featureDim: 8 });
    const res = await post(
      app,
      researcher.token,
      campaign.id,
      jsonl(5, 3, { embeddingDim: 8, refLogprobs: true, messages: true }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ promptCount: 5, responseCount: 15, totalPrompts: 5 });
    const prompts = await app.db.query(
      `SELECT external_id, ordinal, text, messages, metadata, length(embedding) AS bytes, featurized_at, import_id
       FROM prompts WHERE campaign_id = $1 ORDER BY ordinal`,
      [campaign.id],
    );
    expect(prompts.rows.map((r) => [r.external_id, r.ordinal])).toEqual([0, 1, 2, 3, 4].map((i) => [`p${i}`, i]));
    expect(prompts.rows[1].text).toBeNull();
    expect(prompts.rows[1].messages).toEqual([{ role: 'user', content: 'question 1' }]);
    expect(prompts.rows[0].metadata).toEqual({ topic: 't0' });
    expect(
      prompts.rows.every((r) => r.bytes === 32 && r.featurized_at !== null && r.import_id === res.body.importId),
    ).toBe(true);
    const responses = await app.db.query(
      `SELECT r.ordinal, r.text, r.source_model, r.reference_logprob, r.embedding FROM responses r
       JOIN prompts p ON p.id = r.prompt_id WHERE p.campaign_id = $1 AND p.external_id = 'p2' ORDER BY r.ordinal`,
      [campaign.id],
    );
    expect(responses.rows.map((r) => r.text)).toEqual([
      'answer 0 to question 2',
      'answer 1 to question 2',
      'answer 2 to question 2',
    ]);
    expect(responses.rows[1].reference_logprob).toBeCloseTo(-1.25);
    const vector = new Float32Array(new Uint8Array(responses.rows[0].embedding).buffer);
    expect(vector[3]).toBeCloseTo(Math.sin((2 * 100 + 0 + 1) * 7.1 + 3 * 1.3), 5);
    expect(await rowCounts(app, campaign.id)).toMatchObject({
      prompts: 5,
      responses: 15,
      batches: 1,
      prompt_count: 5,
      response_count: 15,
    });
    const jobs = await app.db.query(`SELECT name, state FROM job_runs WHERE campaign_id = $1`, [campaign.id]);
    expect(jobs.rows).toEqual([{ name: 'Featurize', state: 'queued' }]);
  });

  it('reports every bad line with its path and writes nothing', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const good = (i: number) => JSON.stringify(jsonlLine(i, 2));
    const lines = [
      good(0),
      '{"id": "broken", ',
      JSON.stringify({ ...jsonlLine(2, 2), responses: ['only one'] }),
      '',
      JSON.stringify({ ...jsonlLine(4, 3), responses: ['a', { text: '' }, { text: 'c', ref_logprob: 0.5 }] }),
      JSON.stringify({ id: 'p5', prompt: 'x', messages: [{ role: 'user', content: 'y' }], responses: ['a', 'b'] }),
      good(6),
      JSON.stringify({ ...jsonlLine(7, 2), embedding: [1, 2] }),
      JSON.stringify({ ...jsonlLine(8, 2), metadata: 'not an object' }),
    ];
    const res = await post(app, researcher.token, campaign.id, lines.join('\n'));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('IMPORT_INVALID');
    const errors = res.body.details.errors as { line: number; path: string; message: string }[];
    expect([...new Set(errors.map((e) => e.line))]).toEqual([2, 3, 5, 6, 8, 9]);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 2, path: '(line)', code: 'INVALID_JSON' }),
        expect.objectContaining({ line: 3, path: 'responses', code: 'INVALID_FIELD' }),
        expect.objectContaining({ line: 5, path: 'responses.1.text' }),
        expect.objectContaining({ line: 5, path: 'responses.2.ref_logprob' }),
        expect.objectContaining({ line: 6, path: 'prompt' }),
        expect.objectContaining({ line: 8, path: 'embedding', code: 'EMBEDDING_MISMATCH' }),
        expect.objectContaining({ line: 9, path: 'metadata', message: 'metadata must be a JSON object' }),
      ]),
    );
    expect(res.body.details.errorCount).toBe(errors.length);
    expect(res.body.details.linesRead).toBe(9);
    expect(res.body.message).toContain('line');
    expect(await rowCounts(app, campaign.id)).toMatchObject({
      prompts: 0,
      responses: 0,
      batches: 0,
      prompt_count: 0,
      response_count: 0,
    });
    const jobs = await app.db.query(`SELECT count(*)::int AS n FROM job_runs WHERE campaign_id = $1`, [campaign.id]);
    expect(jobs.rows[0].n).toBe(0);
  });

  it('rolls back chunks already written when a late line is bad', async () => {
    const campaign = await createCampaign(app, researcher.token);
    // 4,500 good prompts fill two write chunks before the bad last line is read.
    const body = jsonl(4500, 2) + JSON.stringify({ id: 'late', prompt: 'x', responses: ['only one'] }) + '\n';
    const res = await postChunked(app, researcher.token, `/campaigns/${campaign.id}/imports`, [body]);
    expect(res.status).toBe(422);
    expect(res.body.details.errors).toEqual([expect.objectContaining({ line: 4501, path: 'responses' })]);
    expect(await rowCounts(app, campaign.id)).toMatchObject({ prompts: 0, responses: 0, batches: 0, prompt_count: 0 });
    const jobs = await app.db.query(`SELECT count(*)::int AS n FROM job_runs WHERE campaign_id = $1`, [campaign.id]);
    expect(jobs.rows[0].n).toBe(0);
  });

  it('writes nothing when the client goes away mid-upload, even on a line boundary', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const part = jsonl(30, 2);
    const req = request(app.url + `/campaigns/${campaign.id}/imports`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${researcher.token}`,
        'content-type': 'application/x-ndjson',
        'content-length': String(part.length * 4),
      },
    });
    req.on('error', () => undefined);
    req.write(part);
    await new Promise((r) => setTimeout(r, 300));
    req.destroy();
    await new Promise((r) => setTimeout(r, 700));
    expect(await rowCounts(app, campaign.id)).toMatchObject({ prompts: 0, responses: 0, batches: 0, prompt_count: 0 });
    // The campaign is not left locked: a complete upload afterwards goes through.
    expect((await post(app, researcher.token, campaign.id, jsonl(2, 2))).status).toBe(201);
  });

  it('requires embeddings of featureDim when the campaign uses supplied embeddings', async () => {
    const campaign = await createCampaign(app, researcher.token, { featureSource: 'embedding', featureDim: 4 });
    const lines = [jsonlLine(0, 2, { embeddingDim: 4 }), jsonlLine(1, 2), jsonlLine(2, 2, { embeddingDim: 5 })];
    const res = await post(app, researcher.token, campaign.id, lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(res.status).toBe(422);
    const errors = res.body.details.errors as { line: number; path: string }[];
    expect(errors.filter((e) => e.line === 2).map((e) => e.path)).toEqual([
      'embedding',
      'responses.0.embedding',
      'responses.1.embedding',
    ]);
    expect(errors.filter((e) => e.line === 3)).toHaveLength(3);
    expect(errors.some((e) => e.line === 1)).toBe(false);
  });

  // 1e39 is a finite double but Infinity as the float32 embeddings are stored in: before, it was
  // accepted and every ComparisonSelect of the campaign then failed.
  it('refuses embedding values outside the float32 range, naming the line (the dry run agrees)', async () => {
    const campaign = await createCampaign(app, researcher.token, { featureSource: 'embedding', featureDim: 2 });
    const line = (id: string, value: number) =>
      JSON.stringify({
        id,
        prompt: 'p',
        embedding: [0.1, 0.2],
        responses: [
          { text: 'a', embedding: [value, 0] },
          { text: 'b', embedding: [0, 3e38] },
        ],
      });
    const body = [line('ok', 1), line('huge', 1e39), line('negative', -4e38)].join('\n');
    const rejected = (line: number) =>
      expect.objectContaining({ line, path: 'responses.0.embedding.0', message: expect.stringMatching(/float32/) });
    const dry = await post(app, researcher.token, campaign.id, body, '?dryRun=true');
    expect(dry.body).toMatchObject({ valid: false, errorCount: 2 });
    expect(dry.body.errors).toEqual([rejected(2), rejected(3)]);
    const res = await post(app, researcher.token, campaign.id, body);
    expect(res.status).toBe(422);
    expect(res.body.details.errors).toEqual([rejected(2), rejected(3)]);
    expect(await rowCounts(app, campaign.id)).toMatchObject({ prompts: 0, responses: 0, batches: 0 });
  });

  it('refuses duplicate ids within the file and against the campaign', async () => {
    const campaign = await createCampaign(app, researcher.token);
    await importJsonl(app, researcher.token, campaign.id, jsonl(3, 2));
    const body = [jsonlLine(10, 2), jsonlLine(11, 2), jsonlLine(10, 2), jsonlLine(1, 2)]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const res = await post(app, researcher.token, campaign.id, body);
    expect(res.status).toBe(422);
    const errors = res.body.details.errors as { line: number; path: string; message: string; code: string }[];
    expect(errors.map((e) => [e.line, e.path, e.code])).toEqual([
      [3, 'id', 'DUPLICATE_ID'],
      [4, 'id', 'ID_EXISTS'],
    ]);
    expect(errors[0].message).toContain('line 1');
    expect(errors[1].message).toContain('already in the campaign');
    expect(await rowCounts(app, campaign.id)).toMatchObject({ prompts: 3, prompt_count: 3, batches: 1 });
  });

  it('validates without writing on a dry run', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const ok = await post(app, researcher.token, campaign.id, jsonl(4, 3), '?dryRun=true');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      valid: true,
      promptCount: 4,
      responseCount: 12,
      errors: [],
      errorCount: 0,
      linesRead: 4,
      format: 'borda',
      judgmentCount: 0,
      rows: [0, 1, 2, 3].map((i) => ({ line: i + 1, format: 'borda', promptId: `p${i}`, responses: 3, judgments: 0 })),
    });
    const bad = await post(app, researcher.token, campaign.id, jsonl(2, 2) + '{}\n', '?dryRun=true');
    expect(bad.status).toBe(200);
    expect(bad.body.valid).toBe(false);
    expect(bad.body.errors.every((e: { line: number }) => e.line === 3)).toBe(true);
    expect(await rowCounts(app, campaign.id)).toMatchObject({ prompts: 0, responses: 0, batches: 0 });
  });

  it('refuses other content types with 415 and finished campaigns with 409', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const res = await post(app, researcher.token, campaign.id, jsonl(1, 2), '', 'application/octet-stream');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const json = await app.request('POST', `/campaigns/${campaign.id}/imports`, {
      token: researcher.token,
      body: { id: 'x' },
    });
    expect(json.status).toBe(415);
    expect((await post(app, researcher.token, campaign.id, jsonl(1, 2), '', 'text/plain; charset=utf-8')).status).toBe(
      201,
    );
    await app.post(`/campaigns/${campaign.id}/start`, {}, researcher.token);
    await app.post(`/campaigns/${campaign.id}/complete`, {}, researcher.token);
    const done = await post(app, researcher.token, campaign.id, jsonl(1, 2, { start: 5 }));
    expect(done.status).toBe(409);
    expect(done.body.code).toBe('CAMPAIGN_NOT_ACTIVE');
    expect(await rowCounts(app, campaign.id)).toMatchObject({ prompts: 1 });
  });

  it('appends to an active campaign with continuing ordinals', async () => {
    const campaign = await createCampaign(app, researcher.token);
    await importJsonl(app, researcher.token, campaign.id, jsonl(3, 2));
    expect((await app.post(`/campaigns/${campaign.id}/start`, {}, researcher.token)).status).toBe(200);
    const second = await importJsonl(app, researcher.token, campaign.id, jsonl(2, 2, { start: 3 }));
    expect(second.totalPrompts).toBe(5);
    const { rows } = await app.db.query(
      `SELECT external_id, ordinal FROM prompts WHERE campaign_id = $1 ORDER BY ordinal`,
      [campaign.id],
    );
    expect(rows.map((r) => `${r.external_id}@${r.ordinal}`)).toEqual(['p0@0', 'p1@1', 'p2@2', 'p3@3', 'p4@4']);
  });

  it('serialises concurrent imports into one campaign', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const [a, b] = await Promise.all([
      post(app, researcher.token, campaign.id, jsonl(300, 3, { idPrefix: 'a' })),
      post(app, researcher.token, campaign.id, jsonl(300, 3, { idPrefix: 'b' })),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.body.totalPrompts, b.body.totalPrompts].sort((x, y) => x - y)).toEqual([300, 600]);
    const { rows } = await app.db.query(
      `SELECT count(DISTINCT ordinal)::int AS n, min(ordinal) AS lo, max(ordinal) AS hi FROM prompts WHERE campaign_id = $1`,
      [campaign.id],
    );
    expect(rows[0]).toEqual({ n: 600, lo: 0, hi: 599 });
    expect(await rowCounts(app, campaign.id)).toMatchObject({
      prompts: 600,
      responses: 1800,
      prompt_count: 600,
      response_count: 1800,
    });
  });

  it('imports 5,000 prompts × 8 responses', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const started = Date.now();
    const res = await post(app, researcher.token, campaign.id, jsonl(5000, 8));
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await rowCounts(app, campaign.id)).toMatchObject({ prompts: 5000, responses: 40_000, prompt_count: 5000 });
  });
});

describe('JSONL import limits', () => {
  let app: TestApp;
  let researcher: TestUser;

  beforeAll(async () => {
    app = await startTestApp({ env: { IMPORT_MAX_BYTES: '2kb', IMPORT_MAX_LINE_BYTES: '512' } });
    researcher = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  it('reports an oversize line and keeps checking the others', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const long = JSON.stringify({ ...jsonlLine(1, 2), prompt: 'x'.repeat(600) });
    const body = [jsonlLine(0, 2), long, { ...jsonlLine(2, 2), responses: [] }].map((l) =>
      typeof l === 'string' ? l : JSON.stringify(l),
    );
    const res = await post(app, researcher.token, campaign.id, body.join('\n'));
    expect(res.status).toBe(422);
    const errors = res.body.details.errors as { line: number; path: string; message: string }[];
    expect(errors.map((e) => e.line)).toEqual([2, 3]);
    expect(errors[0]).toMatchObject({ code: 'LINE_TOO_LONG', message: expect.stringContaining('512') });
    expect(await rowCounts(app, campaign.id)).toMatchObject({ prompts: 0, batches: 0 });
  });

  it('refuses a body over the total limit with 413 and writes nothing', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const body = jsonl(40, 2);
    expect(body.length).toBeGreaterThan(2048);
    const res = await post(app, researcher.token, campaign.id, body);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await rowCounts(app, campaign.id)).toMatchObject({ prompts: 0, responses: 0, batches: 0, prompt_count: 0 });
  });

  it('cuts off a streamed body without Content-Length at the total limit', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const pieces = [0, 1, 2, 3].map((k) => jsonl(8, 2, { start: k * 8 }));
    expect(pieces.join('').length).toBeGreaterThan(2048);
    const res = await postChunked(app, researcher.token, `/campaigns/${campaign.id}/imports`, pieces);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await rowCounts(app, campaign.id)).toMatchObject({ prompts: 0, responses: 0, batches: 0, prompt_count: 0 });
  });
});
