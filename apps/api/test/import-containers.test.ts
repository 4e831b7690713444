/**
 * Import containers (issue 13 item 1): gzip and Parquet bodies, read by their first bytes. Borda lines
 * from Parquet (a null column value is an unset field; gzip-compressed pages), corrupt and truncated
 * bodies (400, nothing written), and the byte limit while a body streams in or decompresses.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from './support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser } from './support/harness';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, 'fixtures', 'imports', name));
const user = (content: string) => [{ role: 'user', content }];

describe('import containers', () => {
  let app: TestApp;
  let researcher: TestUser;

  beforeAll(async () => {
    // A small byte limit, so the bodies over it stay small too.
    app = await startTestApp({ env: { IMPORT_MAX_BYTES: String(256 * 1024) } });
    researcher = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  const post = (campaignId: string, body: Buffer | string, query = '', contentType?: string) =>
    app.request('POST', `/campaigns/${campaignId}/imports${query}`, { token: researcher.token, body, contentType });

  async function stored(campaignId: string) {
    const { rows } = await app.db.query(
      `SELECT p.text, array_agg(json_build_array(r.text, r.source_model) ORDER BY r.ordinal) AS responses
       FROM prompts p JOIN responses r ON r.prompt_id = p.id WHERE p.campaign_id = $1
       GROUP BY p.id, p.ordinal, p.text ORDER BY p.ordinal`,
      [campaignId],
    );
    return rows.map((r) => ({ prompt: user(r.text), responses: r.responses }));
  }

  it('refuses a corrupt gzip body and a truncated Parquet file without writing', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const gz = gzipSync(fixture('plain.jsonl'));
    const corrupt = Buffer.concat([gz.subarray(0, 20), Buffer.alloc(30, 7)]);
    // Sent as JSONL with Content-Encoding: gzip: the magic bytes decide how the body is read.
    const bad = await app.request('POST', `/campaigns/${campaign.id}/imports`, {
      token: researcher.token,
      body: corrupt,
      headers: { 'content-encoding': 'gzip' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const parquet = fixture('plain.parquet');
    const truncated = await post(campaign.id, parquet.subarray(0, parquet.length - 12), '', 'application/x-parquet');
    expect(truncated.status).toBe(400);
    const counts = await app.db.query(`SELECT count(*)::int AS n FROM prompts WHERE campaign_id = $1`, [campaign.id]);
    expect(counts.rows[0].n).toBe(0);
  });

  it('reads Borda lines from Parquet, where an optional field is a null column value', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const body = Buffer.from(
      parquetWriteBuffer({
        columnData: [
          { name: 'id', data: ['b1', 'b2'] },
          { name: 'prompt', data: ['first?', 'second?'] },
          {
            name: 'responses',
            data: [
              [
                { text: 'a', model: 'm1' },
                { text: 'b', model: null },
              ],
              [
                { text: 'c', model: null },
                { text: 'd', model: 'm2' },
              ],
            ],
          },
        ],
      }),
    );
    const campaign = await createCampaign(app, researcher.token);
    const res = await post(campaign.id, body, '', 'application/vnd.apache.parquet');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: 'borda', promptCount: 2, judgmentCount: 0 });
    // Gzip-compressed pages (snappy is hyparquet's own) read the same.
    const gzipped = Buffer.from(
      parquetWriteBuffer({
        codec: 'GZIP',
        compressors: { GZIP: (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes)) },
        columnData: [
          { name: 'id', data: ['g1', 'g2'] },
          { name: 'prompt', data: ['third?', 'fourth?'] },
          {
            name: 'responses',
            data: [
              ['e', 'f'],
              ['g', 'h'],
            ],
          },
        ],
      }),
    );
    const second = await post(campaign.id, gzipped, '', 'application/vnd.apache.parquet');
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ promptCount: 2, totalPrompts: 4 });
    expect(await stored(campaign.id)).toEqual([
      {
        prompt: user('first?'),
        responses: [
          ['a', 'm1'],
          ['b', null],
        ],
      },
      {
        prompt: user('second?'),
        responses: [
          ['c', null],
          ['d', 'm2'],
        ],
      },
      {
        prompt: user('third?'),
        responses: [
          ['e', null],
          ['f', null],
        ],
      },
      {
        prompt: user('fourth?'),
        responses: [
          ['g', null],
          ['h', null],
        ],
      },
    ]);
  });

  it('refuses a Parquet body over the byte limit while spooling it', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const big = Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(app.config.importMaxBytes, 1)]);
    // Sent chunked (no Content-Length to check up front): the limit must hold while the body streams in.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${app.url}/campaigns/${campaign.id}/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${researcher.token}`, 'content-type': 'application/vnd.apache.parquet' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      // The server may close the connection once it has answered.
      req.on('error', (error) => (error.message.includes('EPIPE') ? undefined : reject(error)));
      for (let k = 0; k < big.length; k += 64 * 1024) req.write(big.subarray(k, k + 64 * 1024));
      req.end();
    });
    const res = { status };
    expect(res.status).toBe(413);
  });

  it('cuts a gzip bomb off at the byte limit of the decompressed JSONL', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const line = `${JSON.stringify({ prompt: 'p'.repeat(1000), responses: ['a', 'b'] })}\n`;
    const limit = app.config.importMaxBytes;
    const bomb = gzipSync(Buffer.from(line.repeat(Math.ceil((limit + 1) / line.length))));
    expect(bomb.length).toBeLessThan(limit);
    const res = await post(campaign.id, bomb, '', 'application/gzip');
    expect(res.status).toBe(413);
  });
});
