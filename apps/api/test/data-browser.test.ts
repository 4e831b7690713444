/**
 * The data browser (issue 14 item 1): every filter of GET /campaigns/:id/browse/comparisons returns
 * exactly the comparisons seeded to match it, search finds prompt and response text, keyset pages
 * neither skip nor repeat a row, facets list what the filters offer, the detail route shows the
 * sides as the chosen label's labeler saw them, and access is the owner's (labelers 403, others 404).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { type JudgmentSpec, type SeededCampaign, seedCampaign, seedJudgments } from './support/readside-fixtures';

describe('data browser', () => {
  let app: TestApp;
  let owner: TestUser;
  let stranger: TestUser;
  let admin: TestUser;
  let l1: TestUser;
  let l2: TestUser;
  let l3: TestUser;
  let campaign: SeededCampaign;
  /** Comparison ids by name: unanimous, split, single, none (skipped), tie (+skip, open), conversation. */
  const c: Record<string, string> = {};
  let labelIds: string[];

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    stranger = await app.createUser('researcher');
    admin = await app.createUser('admin');
    [l1, l2, l3] = [await app.createUser('labeler'), await app.createUser('labeler'), await app.createUser('labeler')];
    campaign = await seedCampaign(app, owner, { prompts: 4, responses: 3, labelers: [l1, l2, l3] });
    const models = ['alpha', 'beta', 'gamma'];
    for (const prompt of campaign.prompts) {
      for (const [j, id] of prompt.responseIds.entries()) {
        await app.db.query('UPDATE responses SET source_model = $2 WHERE id = $1', [id, models[j]]);
      }
    }
    const p = campaign.prompts;
    await app.db.query(`UPDATE prompts SET metadata = '{"topic": "math"}' WHERE id = $1`, [p[0].id]);
    await app.db.query(
      `UPDATE prompts SET metadata = '{"topic": "code"}', text = 'Tell me about giraffes' WHERE id = $1`,
      [p[2].id],
    );
    await app.db.query(`UPDATE prompts SET metadata = '{"topic": "math", "level": 2}' WHERE id = $1`, [p[3].id]);
    await app.db.query(`UPDATE responses SET text = 'A zebra crossing, in **bold**' WHERE id = $1`, [
      p[3].responseIds[2],
    ]);
    const specs: JudgmentSpec[] = [
      // time taken = 1000 + the spec's 1-based position
      { key: 'unanimous', prompt: 0, first: 0, second: 1, labeler: l1, choice: 'A' }, // 1001
      { key: 'unanimous', prompt: 0, first: 0, second: 1, labeler: l2, choice: 'B', firstOnLeft: false }, // 1002
      { key: 'split', prompt: 0, first: 1, second: 2, labeler: l1, choice: 'A' }, // 1003
      { key: 'split', prompt: 0, first: 1, second: 2, labeler: l2, choice: 'B' }, // 1004
      { key: 'single', prompt: 2, first: 0, second: 1, labeler: l3, choice: 'A' }, // 1005
      { key: 'none', prompt: 3, first: 0, second: 2, labeler: l1, choice: 'skip' }, // 1006
      { key: 'tie', prompt: 3, first: 1, second: 2, labeler: l2, choice: 'tie' }, // 1007
      { key: 'tie', prompt: 3, first: 1, second: 2, labeler: l3, choice: 'skip' }, // 1008
      { key: 'conversation', prompt: 1, first: 0, second: 1, labeler: l3, choice: 'B' }, // 1009
    ];
    const seeded = await seedJudgments(app, campaign, specs);
    labelIds = seeded.labelIds;
    ['unanimous', 'split', 'single', 'none', 'tie', 'conversation'].forEach(
      (name, i) => (c[name] = seeded.comparisonIds[i]),
    );
    await app.db.query('UPDATE comparisons SET gold_response_id = first_response_id WHERE id = $1', [c.single]);
    await app.db.query(`UPDATE comparisons SET state = 'open' WHERE id = $1`, [c.tie]);
  });
  afterAll(() => app?.close());

  const browse = (query: string, user = owner) =>
    app.get(`/campaigns/${campaign.id}/browse/comparisons?${query}`, user.token);
  const ids = async (query: string) => {
    const res = await browse(query);
    expect(res.status, res.text).toBe(200);
    return (res.body.rows as { id: string }[]).map((r) => r.id).sort();
  };
  const named = (...names: string[]) => names.map((n) => c[n]).sort();

  it('answers one row per comparison with its labels, agreement and excerpts', async () => {
    const res = await browse('');
    expect(res.status).toBe(200);
    expect(res.body.rows).toHaveLength(6);
    expect(res.body.nextCursor).toBeNull();
    const row = res.body.rows.find((r: { id: string }) => r.id === c.unanimous);
    expect(row).toMatchObject({
      agreement: 'unanimous',
      skipped: 0,
      gold: false,
      state: 'complete',
      promptExcerpt: 'Prompt 0: explain topic 0',
      metadata: { topic: 'math' },
      first: { id: campaign.prompts[0].responseIds[0], sourceModel: 'alpha' },
      second: { id: campaign.prompts[0].responseIds[1], sourceModel: 'beta' },
    });
    // Two labels stored in one millisecond: their order is by id, so compare them sorted by time taken.
    const labels = row.labels
      .map((l: { labeler: { id: string }; choice: string; outcome: string; timeTakenMs: number }) => [
        l.labeler.id,
        l.choice,
        l.outcome,
        l.timeTakenMs,
      ])
      .sort((a: number[], b: number[]) => a[3] - b[3]);
    expect(labels).toEqual([
      [l1.id, 'A', 'first', 1001],
      [l2.id, 'B', 'first', 1002],
    ]);
    const conversation = res.body.rows.find((r: { id: string }) => r.id === c.conversation);
    expect(conversation.promptExcerpt).toBe('Question 1?');
  });

  it('filters by labeler, model, agreement, split, skipped, time taken, state, gold and metadata', async () => {
    expect(await ids(`labeler=${l1.id}`)).toEqual(named('unanimous', 'split', 'none'));
    expect(await ids(`labeler=${l3.id}`)).toEqual(named('single', 'tie', 'conversation'));
    expect(await ids('model=alpha')).toEqual(named('unanimous', 'single', 'none', 'conversation'));
    expect(await ids('model=gamma')).toEqual(named('split', 'none', 'tie'));
    expect(await ids('model=nobody')).toEqual([]);
    expect(await ids('agreement=unanimous')).toEqual(named('unanimous'));
    expect(await ids('agreement=split')).toEqual(named('split'));
    expect(await ids('agreement=single')).toEqual(named('single', 'tie', 'conversation'));
    expect(await ids('agreement=none')).toEqual(named('none'));
    expect(await ids('split=true')).toEqual(named('split'));
    expect(await ids('skipped=true')).toEqual(named('none', 'tie'));
    expect(await ids('skipped=false')).toEqual(named('unanimous', 'split', 'single', 'conversation'));
    expect(await ids('minTimeMs=1006')).toEqual(named('none', 'tie', 'conversation'));
    expect(await ids('maxTimeMs=1002')).toEqual(named('unanimous'));
    expect(await ids('minTimeMs=1003&maxTimeMs=1005')).toEqual(named('split', 'single'));
    // With a labeler, the time range applies to that labeler's own label.
    expect(await ids(`labeler=${l2.id}&minTimeMs=1004`)).toEqual(named('split', 'tie'));
    expect(await ids(`labeler=${l1.id}&maxTimeMs=1001`)).toEqual(named('unanimous'));
    expect(await ids('state=open')).toEqual(named('tie'));
    expect(await ids('gold=true')).toEqual(named('single'));
    expect(await ids('meta.topic=math')).toEqual(named('unanimous', 'split', 'none', 'tie'));
    expect(await ids('meta.topic=math&meta.level=2')).toEqual(named('none', 'tie'));
    expect(await ids('meta.topic=code&agreement=single')).toEqual(named('single'));
  });

  it('searches prompt text, conversation turns and response text', async () => {
    expect(await ids('q=giraffes')).toEqual(named('single'));
    expect(await ids('q=zebra')).toEqual(named('none', 'tie'));
    expect(await ids(`q=${encodeURIComponent('"zebra crossing"')}`)).toEqual(named('none', 'tie'));
    expect(await ids(`q=${encodeURIComponent('zebra -crossing')}`)).toEqual([]);
    expect(await ids('q=question')).toEqual(named('conversation'));
    expect(await ids(`q=${encodeURIComponent("'; DROP TABLE labels; --")}`)).toEqual([]);
  });

  it('pages with a keyset cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await browse(`limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.rows.length).toBeLessThanOrEqual(4);
      seen.push(...res.body.rows.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(Object.values(c).sort());
    // Filters hold across pages.
    const first = await browse(`labeler=${l1.id}&limit=2`);
    expect(first.body.rows).toHaveLength(2);
    const second = await browse(`labeler=${l1.id}&limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.rows, ...second.body.rows].map((r: { id: string }) => r.id).sort()).toEqual(
      named('unanimous', 'split', 'none'),
    );
    expect(second.body.nextCursor).toBeNull();
  });

  it('refuses bad filters with 400 naming the field', async () => {
    for (const query of ['agreement=maybe', 'limit=500', 'labeler=nope', 'skipped=yes', 'colour=red', 'cursor=abc']) {
      const res = await browse(query);
      expect(res.status, query).toBe(400);
      expect(res.text).toMatch(new RegExp(query.split('=')[0]));
    }
    expect((await browse('minTimeMs=10&maxTimeMs=5')).status).toBe(400);
  });

  it('lists facets for the filter controls', async () => {
    const res = await app.get(`/campaigns/${campaign.id}/browse/facets`, owner.token);
    expect(res.status).toBe(200);
    expect(res.body.comparisons).toBe(6);
    expect(res.body.labelers.map((l: { id: string }) => l.id).sort()).toEqual([l1.id, l2.id, l3.id].sort());
    expect(res.body.labelers.find((l: { id: string }) => l.id === l3.id).labels).toBe(3);
    expect(res.body.models).toEqual([
      { model: 'alpha', responses: 4 },
      { model: 'beta', responses: 4 },
      { model: 'gamma', responses: 4 },
    ]);
    const topic = res.body.metadata.find((m: { key: string }) => m.key === 'topic');
    expect(topic).toEqual({
      key: 'topic',
      prompts: 3,
      values: [
        { value: 'math', prompts: 2 },
        { value: 'code', prompts: 1 },
      ],
    });
  });

  it('shows a comparison with the sides as the chosen label saw them', async () => {
    const base = `/campaigns/${campaign.id}/browse/comparisons/${c.unanimous}`;
    const [r0, r1] = campaign.prompts[0].responseIds;
    const byDefault = await app.get(base, owner.token);
    expect(byDefault.status).toBe(200);
    expect(byDefault.body.labels).toHaveLength(2);
    expect(byDefault.body.shownFor).toBe(byDefault.body.labels[0].id);
    expect(byDefault.body.left.id).toBe(byDefault.body.labels[0].firstOnLeft ? r0 : r1);
    expect(byDefault.body.prompt.text).toBe('Prompt 0: explain topic 0');
    const asFirst = await app.get(`${base}?label=${labelIds[0]}`, owner.token);
    expect(asFirst.body).toMatchObject({ shownFor: labelIds[0], left: { id: r0 }, right: { id: r1 } });
    const swapped = await app.get(`${base}?label=${labelIds[1]}`, owner.token);
    expect(swapped.body).toMatchObject({
      shownFor: labelIds[1],
      left: { id: r1, sourceModel: 'beta' },
      right: { id: r0 },
    });
    // A label of another comparison, or a comparison of another campaign, is not found.
    expect((await app.get(`${base}?label=${labelIds[4]}`, owner.token)).status).toBe(404);
    const other = await seedCampaign(app, stranger, { prompts: 1, responses: 2 });
    const foreign = await seedJudgments(app, other, [{ prompt: 0, first: 0, second: 1, labeler: l1, choice: 'A' }]);
    expect(
      (await app.get(`/campaigns/${campaign.id}/browse/comparisons/${foreign.comparisonIds[0]}`, owner.token)).status,
    ).toBe(404);
    const conversation = await app.get(`/campaigns/${campaign.id}/browse/comparisons/${c.conversation}`, owner.token);
    expect(conversation.body.prompt.messages).toEqual(campaign.prompts[1].messages);
  });

  it('is the owner’s and the admin’s: labelers 403, other researchers 404', async () => {
    const paths = ['comparisons', 'facets', `comparisons/${c.split}`].map(
      (p) => `/campaigns/${campaign.id}/browse/${p}`,
    );
    for (const path of paths) {
      expect((await app.get(path, admin.token)).status, path).toBe(200);
      expect((await app.get(path, l1.token)).status, path).toBe(403);
      expect((await app.get(path, stranger.token)).status, path).toBe(404);
      expect((await app.get(path)).status, path).toBe(401);
    }
  });
});
