/**
 * Import adapters (issue 13 items 1 and 2): each hand-written fixture of an external dataset format
 * (apps/api/test/fixtures/imports, following each dataset's published schema) imports through the API
 * as JSONL, gzipped JSONL and (where there is one) Parquet; the stored prompts, responses and models
 * are the source's; the judgments the source carries become labels with their source; and the TRL
 * and OpenAI exports afterwards hold the source's prompts and preferences.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from './support/campaign-fixtures';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import {
  EXPECTED,
  fixture,
  fromOpenai,
  fromTrlConversational,
  key,
  type Preference,
  STORED,
  user,
} from './support/import-expectations';

const FORMATS = Object.keys(EXPECTED);
const PARQUET = ['hh-rlhf', 'binarized', 'plain'];

const CONTAINERS = [
  ...FORMATS.map((f) => ({ format: f, file: `${f}.jsonl`, contentType: 'application/x-ndjson' })),
  ...FORMATS.map((f) => ({ format: f, file: `${f}.jsonl.gz`, contentType: 'application/gzip' })),
  ...PARQUET.map((f) => ({ format: f, file: `${f}.parquet`, contentType: 'application/vnd.apache.parquet' })),
];

describe('import adapters', () => {
  let app: TestApp;
  let researcher: TestUser;

  beforeAll(async () => {
    app = await startTestApp();
    researcher = await app.createUser('researcher');
  });
  afterAll(() => app?.close());

  const post = (campaignId: string, body: Buffer | string, query = '', contentType?: string) =>
    app.request('POST', `/campaigns/${campaignId}/imports${query}`, { token: researcher.token, body, contentType });

  async function exported(
    campaignId: string,
  ): Promise<{ trl: Preference[]; openai: Preference[]; trlPrompts: string[] }> {
    const lines = async (format: string) => {
      const res = await app.request('GET', `/campaigns/${campaignId}/exports/${format}`, { token: researcher.token });
      expect(res.status).toBe(200);
      return res.text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    };
    const openai = (await lines('openai')).map(fromOpenai);
    const trl = (await lines('trl-conversational')).map(fromTrlConversational);
    const plainTrl = await lines('trl');
    return { trl, openai, trlPrompts: plainTrl.map((l) => l.prompt) };
  }

  async function stored(campaignId: string) {
    const prompts = await app.db.query(
      `SELECT id, text, messages FROM prompts WHERE campaign_id = $1 ORDER BY ordinal`,
      [campaignId],
    );
    const out = [];
    for (const p of prompts.rows) {
      const responses = await app.db.query(
        `SELECT text, source_model FROM responses WHERE prompt_id = $1 ORDER BY ordinal`,
        [p.id],
      );
      out.push({
        prompt: p.messages ?? user(p.text),
        responses: responses.rows.map((r) => [r.text, r.source_model]),
      });
    }
    return out;
  }

  it.each(CONTAINERS)(
    '$file: dry run, import, stored rows, judgments and exports',
    async ({ format, file, contentType }) => {
      const campaign = await createCampaign(app, researcher.token);
      const body = fixture(file);
      const expected = EXPECTED[format]();

      const dry = await post(campaign.id, body, '?dryRun=true', contentType);
      expect(dry.status).toBe(200);
      expect(dry.body).toMatchObject({ valid: true, format, errorCount: 0, judgmentCount: expected.length });
      expect(dry.body.rows).toHaveLength(STORED[format]().length);
      expect(dry.body.rows.map((r: any) => r.responses)).toEqual(STORED[format]().map((s) => s.responses.length));
      expect(dry.body.rows.every((r: any) => r.format === format && typeof r.promptId === 'string')).toBe(true);
      expect(await stored(campaign.id)).toEqual([]);

      const res = await post(campaign.id, body, '', contentType);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ format, judgmentCount: expected.length, promptCount: STORED[format]().length });
      expect(await stored(campaign.id)).toEqual(STORED[format]());

      const labels = await app.db.query(
        `SELECT l.source, l.choice::text AS choice, u.email, c.strategy, c.state::text AS state, c.gold_response_id
       FROM labels l JOIN users u ON u.id = l.labeler_id JOIN comparisons c ON c.id = l.comparison_id
       WHERE l.campaign_id = $1`,
        [campaign.id],
      );
      expect(labels.rows).toHaveLength(expected.length);
      for (const label of labels.rows) {
        expect(label).toMatchObject({
          source: format,
          email: 'imported-judgments@borda.invalid',
          strategy: 'imported',
        });
        expect(label.state).toBe('complete');
        expect(label.gold_response_id).toBeNull();
      }
      // Both sides are used, so the imported source does not look like a labeler who always picks A.
      if (expected.length > 1) expect(new Set(labels.rows.map((l) => l.choice))).toEqual(new Set(['A', 'B']));
      // Each imported judgment fills its comparison's one slot, held by the pseudo-labeler's assignment.
      const slots = await app.db.query(
        `SELECT s.state::text AS state, (s.assignment_id = a.id AND s.holder = a.labeler_id) AS held
       FROM comparison_slots s JOIN assignments a ON a.comparison_id = s.comparison_id
       WHERE s.campaign_id = $1`,
        [campaign.id],
      );
      expect(slots.rows).toEqual(expected.map(() => ({ state: 'filled', held: true })));
      // Imported judgments do not spend the labeling budget.
      const counters = await app.db.query(`SELECT label_count FROM campaigns WHERE id = $1`, [campaign.id]);
      expect(counters.rows[0].label_count).toBe(0);

      const out = await exported(campaign.id);
      expect(out.openai.map(key).sort()).toEqual(expected.map(key).sort());
      expect(out.trl.map(key).sort()).toEqual(expected.map(key).sort());
      const textPrompts = expected.filter((p) => p.prompt.length === 1 && p.prompt[0].role === 'user');
      for (const p of textPrompts) expect(out.trlPrompts).toContain(p.prompt[0].content);
    },
  );

  it('asks for the format when the first row fits several, and refuses unknown formats', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const row = { prompt: 'hi', messages: [{ role: 'user', content: 'hi' }], responses: ['a', 'b'] };
    const res = await post(campaign.id, `${JSON.stringify(row)}\n`);
    expect(res.status).toBe(422);
    expect(res.body.details).toMatchObject({ reason: 'FORMAT_AMBIGUOUS' });
    expect(res.body.details.candidates.sort()).toEqual(['openai-chat', 'plain']);
    expect((await post(campaign.id, `${JSON.stringify(row)}\n`, '?format=csv')).status).toBe(400);
  });

  it('keeps the hardened line checks and atomicity for every adapter', async () => {
    const campaign = await createCampaign(app, researcher.token);
    const good = fixture('hh-rlhf.jsonl').toString('utf8');
    const nul = JSON.stringify({
      chosen: '\n\nHuman: a\u0000b\n\nAssistant: c',
      rejected: '\n\nHuman: a\u0000b\n\nAssistant: d',
    });
    const split = JSON.stringify({ chosen: '\n\nHuman: x\n\nAssistant: y', rejected: '\n\nHuman: z\n\nAssistant: w' });
    let deep: unknown = 'x';
    for (let i = 0; i < 80; i++) deep = [deep];
    const tooDeep = JSON.stringify({
      chosen: '\n\nHuman: q\n\nAssistant: a',
      rejected: '\n\nHuman: q\n\nAssistant: b',
      extra: deep,
    });
    const res = await post(campaign.id, `${good}${nul}\n${split}\n${tooDeep}\n${good.split('\n')[0]}\n`);
    expect(res.status).toBe(422);
    const byLine = new Map<number, string[]>();
    for (const e of res.body.details.errors) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e.code]);
    expect(byLine.get(4)).toContain('NUL_CHARACTER');
    expect(byLine.get(5)).toEqual(['INVALID_FIELD']);
    expect(byLine.get(6)).toEqual(['TOO_DEEP']);
    expect(byLine.get(7)).toEqual(['DUPLICATE_ID']);
    const counts = await app.db.query(
      `SELECT (SELECT count(*)::int FROM prompts WHERE campaign_id = $1) AS prompts,
              (SELECT count(*)::int FROM labels WHERE campaign_id = $1) AS labels,
              (SELECT count(*)::int FROM comparisons WHERE campaign_id = $1) AS comparisons`,
      [campaign.id],
    );
    expect(counts.rows[0]).toEqual({ prompts: 0, labels: 0, comparisons: 0 });

    // The same file twice: its content-derived ids are already there, nothing is doubled.
    expect((await post(campaign.id, good)).status).toBe(201);
    const again = await post(campaign.id, good);
    expect(again.status).toBe(422);
    expect(again.body.details.errors.map((e: any) => e.code)).toEqual(['ID_EXISTS', 'ID_EXISTS', 'ID_EXISTS']);
  });
});
