import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import {
  type JudgmentSpec,
  type SeededCampaign,
  seedCampaign,
  seedJudgments,
  seedModelVersion,
  seedPolicy,
} from './support/readside-fixtures';

// hyparquet is an ES module and this package compiles to CommonJS: load it with import().
const parquetReadObjects = async (options: { file: ArrayBuffer; columns?: string[] }) =>
  (await import('hyparquet')).parquetReadObjects(options);
const parquetMetadata = async (buffer: ArrayBuffer) => (await import('hyparquet')).parquetMetadata(buffer);

const lines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

/** Response ordinal j of every prompt was written by model `m<j>`. */
const modelOf = (ordinal: number) => `m${ordinal}`;

describe('exports: margins, source models, KTO, Parquet and the dataset card', () => {
  let app: TestApp;
  let owner: TestUser;
  let labelers: TestUser[];
  let campaign: SeededCampaign;
  const text = (prompt: number, response: number) => campaign.prompts[prompt].responseTexts[response];

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    labelers = await Promise.all([1, 2, 3].map(() => app.createUser('labeler')));
    campaign = await seedCampaign(app, owner, { prompts: 6, responses: 3, labelers, name: 'Extended Export' });
    await app.db.query(`UPDATE responses SET source_model = 'm' || ordinal WHERE campaign_id = $1`, [campaign.id]);
    await app.db.query(
      `UPDATE prompts SET metadata = jsonb_build_object('topic', 'topic-' || ordinal, 'hard', ordinal % 2 = 0)
       WHERE campaign_id = $1`,
      [campaign.id],
    );
    const [l1, l2, l3] = labelers;
    const specs: JudgmentSpec[] = [
      { prompt: 0, first: 0, second: 1, labeler: l1, choice: 'A', strength: 1, key: 'c1' },
      { prompt: 0, first: 0, second: 1, labeler: l2, choice: 'A', key: 'c1' },
      { prompt: 0, first: 0, second: 1, labeler: l3, choice: 'B', strength: 2, key: 'c1' },
      { prompt: 1, first: 0, second: 2, labeler: l1, choice: 'A', firstOnLeft: false, key: 'c2' },
      { prompt: 1, first: 0, second: 2, labeler: l2, choice: 'B', firstOnLeft: false, key: 'c2' },
      { prompt: 2, first: 1, second: 2, labeler: l1, choice: 'tie', key: 'c3' },
      { prompt: 2, first: 1, second: 2, labeler: l2, choice: 'both_bad', key: 'c3' },
      { prompt: 3, first: 0, second: 1, labeler: l1, choice: 'skip', key: 'c4' },
      { prompt: 2, first: 0, second: 1, labeler: l1, choice: 'B', strength: 3, key: 'c5' },
    ];
    await seedJudgments(app, campaign, specs);
    await app.db.query(`UPDATE labels SET weight = 0.75, weight_sign = 1 WHERE campaign_id = $1 AND labeler_id = $2`, [
      campaign.id,
      l1.id,
    ]);
  });
  afterAll(() => app?.close());

  const get = async (path: string) => {
    const res = await app.get(`/campaigns/${campaign.id}/exports/${path}`, owner.token);
    expect(res.status, `${path}: ${res.text.slice(0, 300)}`).toBe(200);
    return res;
  };
  const getBytes = async (path: string) => {
    const res = await fetch(`${app.url}/campaigns/${campaign.id}/exports/${path}`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(res.status, path).toBe(200);
    return { headers: res.headers, buffer: await res.arrayBuffer() };
  };

  it('puts the strength margin in both TRL formats, and the source models on request', async () => {
    const trl = lines((await get('trl?margin=true&models=true')).text);
    expect(trl).toHaveLength(6);
    expect(trl.map((r) => r.margin).sort()).toEqual([0, 0, 0, 1 / 3, 2 / 3, 1].sort());
    const c5 = trl.find((r) => r.chosen === text(2, 1));
    expect(c5).toMatchObject({ rejected: text(2, 0), margin: 1, chosen_model: 'm1', rejected_model: 'm0' });
    for (const r of trl) {
      // Every response's model is m<ordinal>: the chosen text's ordinal names its model.
      expect(r.chosen).toContain(`-r${r.chosen_model.slice(1)} `);
      expect(r.rejected).toContain(`-r${r.rejected_model.slice(1)} `);
    }
    const conv = lines((await get('trl-conversational?margin=true&models=true')).text);
    expect(conv).toHaveLength(6);
    expect(conv.map((r) => r.margin).sort()).toEqual([0, 0, 0, 1 / 3, 2 / 3, 1].sort());
    expect(conv.find((r) => r.chosen[0].content === text(2, 1))).toMatchObject({ margin: 1, chosen_model: 'm1' });
    const majority = lines((await get('trl-conversational?aggregate=majority&margin=true')).text);
    expect(majority.map((r) => r.margin).sort()).toEqual([1 / 6, 1]);
    expect(Object.keys(majority[0]).sort()).toEqual(['chosen', 'margin', 'prompt', 'rejected']);
    // The OpenAI format allows no extra keys: margin and models are not added there.
    const openai = lines((await get('openai?margin=true&models=true')).text);
    for (const r of openai)
      expect(Object.keys(r).sort()).toEqual(['input', 'non_preferred_output', 'preferred_output']);
  });

  it('writes KTO lines: chosen true, rejected false, both-bad both false, ties and skips left out', async () => {
    const rows = lines((await get('kto?models=true')).text);
    // 6 decisive judgments and 1 both-bad, two lines each.
    expect(rows).toHaveLength(14);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(['completion', 'label', 'model', 'prompt']);
    expect(rows.filter((r) => r.label === true)).toHaveLength(6);
    expect(rows.filter((r) => r.label === false)).toHaveLength(8);
    const c3 = rows.filter(
      (r) => r.prompt === 'Prompt 2: explain topic 2' && [text(2, 1), text(2, 2)].includes(r.completion),
    );
    // c3 had a tie (no lines) and a both-bad (two false lines); c5 on the same prompt made r1 chosen once.
    expect(c3.filter((r) => r.completion === text(2, 2))).toEqual([
      { prompt: 'Prompt 2: explain topic 2', completion: text(2, 2), label: false, model: 'm2' },
    ]);
    expect(
      c3
        .filter((r) => r.completion === text(2, 1))
        .map((r) => r.label)
        .sort(),
    ).toEqual([false, true]);
    const c5 = rows.filter((r) => r.prompt === 'Prompt 2: explain topic 2' && r.completion === text(2, 0));
    expect(c5).toEqual([{ prompt: 'Prompt 2: explain topic 2', completion: text(2, 0), label: false, model: 'm0' }]);
    const plain = lines((await get('kto')).text);
    expect(Object.keys(plain[0]).sort()).toEqual(['completion', 'label', 'prompt']);
    expect(plain.map((r) => [r.prompt, r.completion, r.label])).toEqual(
      rows.map((r) => [r.prompt, r.completion, r.label]),
    );
  });

  it('gives raw lines the labeler, weight, timing, source models and prompt metadata', async () => {
    const rows = lines((await get('raw')).text);
    expect(rows).toHaveLength(9);
    const labelerIds = new Set(labelers.map((l) => l.id));
    for (const r of rows) {
      expect(labelerIds.has(r.labelerId)).toBe(true);
      expect(r.timeTakenMs).toEqual(expect.any(Number));
      expect(Number.isNaN(Date.parse(r.createdAt))).toBe(false);
      expect(r.left.model).toBe(modelOf(Number(/-r(\d) /.exec(r.left.text)![1])));
      expect(r.right.model).toBe(modelOf(Number(/-r(\d) /.exec(r.right.text)![1])));
      const ordinal = Number(r.prompt.externalId.slice(1));
      expect(r.prompt.metadata).toEqual({ topic: `topic-${ordinal}`, hard: ordinal % 2 === 0 });
      expect(r.weight).toBe(r.labelerId === labelers[0].id ? 0.75 : null);
    }
  });

  it('writes every format as Parquet that reads back to the JSONL rows', async () => {
    const model = await seedModelVersion(app, campaign, { version: 1, labelCount: 8, gap: 0.5 });
    await seedPolicy(app, campaign, model, { version: 1, labelCount: 8 });
    const variants = [
      'raw',
      'trl',
      'trl?margin=true&models=true',
      'trl?aggregate=majority&margin=true',
      'trl-conversational?margin=true&models=true',
      'openai',
      'kto?models=true',
      'best-of-n',
      'best-of-n?models=true&policy=greedy',
    ];
    for (const variant of variants) {
      const expected = lines((await get(variant)).text);
      const sep = variant.includes('?') ? '&' : '?';
      const { headers, buffer } = await getBytes(`${variant}${sep}file=parquet`);
      expect(headers.get('content-type')).toBe('application/vnd.apache.parquet');
      expect(headers.get('content-disposition')).toMatch(/\.parquet"$/);
      const rows = await parquetReadObjects({ file: buffer });
      expect(rows, variant).toEqual(expected);
      if (variant.startsWith('trl-conversational')) {
        // Message lists are real Parquet lists of {role, content} structs, not JSON text.
        const schema = (await parquetMetadata(buffer)).schema;
        expect(schema.find((e) => e.name === 'prompt')).toMatchObject({ converted_type: 'LIST' });
        expect(schema.filter((e) => e.name === 'role')).toHaveLength(3);
      }
    }
    const picks = lines((await get('best-of-n?models=true')).text);
    expect(picks).toHaveLength(6);
    for (const r of picks) expect(r.model).toBe(modelOf(Number(/-r(\d) /.exec(r.messages.at(-1).content)![1])));
  });

  it('streams a large Parquet export in several row groups, none lost or repeated', async () => {
    const big = await seedCampaign(app, owner, { prompts: 10, responses: 4, labelers });
    const choices = ['A', 'B', 'tie', 'A', 'both_bad', 'B', 'skip'] as const;
    const specs: JudgmentSpec[] = Array.from({ length: 2500 }, (_, i) => ({
      prompt: Math.floor(i / 3) % 10,
      first: 0,
      second: 1 + (Math.floor(i / 30) % 3),
      labeler: labelers[i % 3],
      choice: choices[i % choices.length],
      key: `c${Math.floor(i / 3)}`,
    }));
    const { labelIds } = await seedJudgments(app, big, specs);
    const res = await fetch(`${app.url}/campaigns/${big.id}/exports/raw?file=parquet`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(res.headers.get('content-length')).toBeNull();
    const buffer = await res.arrayBuffer();
    expect((await parquetMetadata(buffer)).row_groups.map((g) => Number(g.num_rows))).toEqual([1000, 1000, 500]);
    const rows = await parquetReadObjects({ file: buffer, columns: ['labelId'] });
    expect(rows.map((r) => r.labelId).sort()).toEqual([...labelIds].sort());
    const empty = await seedCampaign(app, owner, { prompts: 1, responses: 2 });
    const none = await fetch(`${app.url}/campaigns/${empty.id}/exports/kto?file=parquet`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    const emptyBuffer = await none.arrayBuffer();
    expect((await parquetMetadata(emptyBuffer)).schema.map((s) => s.name)).toEqual([
      'root',
      'prompt',
      'completion',
      'label',
    ]);
    expect(await parquetReadObjects({ file: emptyBuffer })).toEqual([]);
  });

  it('writes a dataset card describing the campaign, its counts and how the format treats ties', async () => {
    const res = await get('card?format=kto&models=true&file=parquet');
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(res.headers.get('content-disposition')).toMatch(/extended-export-kto-[\d-]+\.README\.md"$/);
    const card = res.text;
    expect(card).toMatch(/^---\npretty_name: "Extended Export"/);
    expect(card).toContain('# Extended Export');
    expect(card).toContain('Selection strategy: `ae-borda`');
    expect(card).toContain('Reward model: `borda-gp`');
    expect(card).toContain('| Prompts | 6 |');
    expect(card).toContain('| Ties | 1 |');
    expect(card).toContain('| Both bad | 1 |');
    expect(card).toContain('| Skips | 1 |');
    expect(card).toContain('| Decisive (A or B) | 6 |');
    expect(card).toContain('| Labelers | 3 |');
    expect(card).toContain('Expected lines: 14.');
    expect(card).toContain('**Both bad**: two lines, both responses with `label: false`');
    expect(card).toContain('**Ties**: left out');
    expect(card).toContain(`exports/kto?file=parquet&models=true`);
    expect(card).toContain('Source models: `model`');
    expect(card).toContain('| m0 | 6 |');
    const trlCard = (await get('card?format=trl&aggregate=majority&margin=true')).text;
    expect(trlCard).toContain('majority winner');
    expect(trlCard).toContain('`margin` = the labeler’s strength / 3');
    expect(trlCard).toContain('Expected lines: at most 3');
    const rawCard = (await get('card')).text;
    expect(rawCard).toContain('Expected lines: 9.');
    expect(rawCard).toContain('**Ties**: kept, `outcome` 0.5.');
    expect(rawCard).toContain('`left.model` / `right.model`');
    expect((await app.get(`/campaigns/${campaign.id}/exports/card?format=csv`, owner.token)).status).toBe(400);
    expect((await app.get(`/campaigns/${campaign.id}/exports/card`, labelers[0].token)).status).toBe(403);
  });
});
