import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';

describe('labeling', () => {
  let app: TestApp;
  let owner: TestUser;
  let labelers: TestUser[];

  beforeAll(async () => {
    app = await startTestApp();
    owner = await app.createUser('researcher');
    labelers = [];
    for (let i = 0; i < 3; i++) labelers.push(await app.createUser('labeler'));
  });
  afterAll(() => app?.close());

  const seed = (options: Parameters<typeof seedLabelingCampaign>[1] | object = {}) =>
    seedLabelingCampaign(app, { ownerId: owner.id, labelerIds: labelers.map((l) => l.id), ...options });
  const next = (campaignId: string, user: TestUser) => app.post(`/campaigns/${campaignId}/next`, {}, user.token);
  const submit = (id: string, body: object, user: TestUser) =>
    app.post(`/assignments/${id}/submit`, { idempotencyKey: randomUUID(), ...body }, user.token);
  const assignment = async (id: string) =>
    (await app.db.query('SELECT * FROM assignments WHERE id = $1', [id])).rows[0];

  it('leases a comparison with randomised sides, never revealing the source model', async () => {
    const { campaignId } = await seed({ comparisons: 24, prompts: 6 });
    const seen = new Set<boolean>();
    for (let i = 0; i < 20; i++) {
      const res = await next(campaignId, labelers[i % 3]);
      expect(res.status).toBe(200);
      const a = res.body.assignment;
      expect(res.text).not.toContain('secret-model');
      const row = await assignment(a.id);
      const comparison = (await app.db.query('SELECT * FROM comparisons WHERE id = $1', [a.comparisonId])).rows[0];
      expect(row).toMatchObject({ state: 'leased', labeler_id: labelers[i % 3].id, comparison_id: a.comparisonId });
      expect(a.left.id).toBe(row.first_on_left ? comparison.first_response_id : comparison.second_response_id);
      expect(a.right.id).toBe(row.first_on_left ? comparison.second_response_id : comparison.first_response_id);
      expect(Math.abs(new Date(a.expiresAt).getTime() - Date.now() - 300_000)).toBeLessThan(10_000);
      seen.add(row.first_on_left);
      // Keep each labeler under the prefetch cap.
      await app.post(`/assignments/${a.id}/skip`, { reason: 'r', idempotencyKey: `s-${i}` }, labelers[i % 3].token);
    }
    expect([...seen].sort()).toEqual([false, true]);
  });

  it('stores the outcome relative to comparison.first for both side orders', async () => {
    const { campaignId } = await seed({ comparisons: 8 });
    const cases = [
      { firstOnLeft: true, choice: 'A', outcome: 1 },
      { firstOnLeft: false, choice: 'A', outcome: 0 },
      { firstOnLeft: true, choice: 'B', outcome: 0 },
      { firstOnLeft: false, choice: 'B', outcome: 1 },
      { firstOnLeft: false, choice: 'tie', outcome: 0.5 },
      { firstOnLeft: true, choice: 'both_bad', outcome: null },
    ];
    for (const c of cases) {
      const leased = (await next(campaignId, labelers[0])).body.assignment;
      await app.db.query('UPDATE assignments SET first_on_left = $2 WHERE id = $1', [leased.id, c.firstOnLeft]);
      const strength = c.choice === 'A' || c.choice === 'B' ? 2 : undefined;
      const res = await submit(leased.id, { choice: c.choice, strength, rationale: 'because' }, labelers[0]);
      expect(res.status).toBe(201);
      expect(res.body.duplicate).toBe(false);
      const label = (await app.db.query('SELECT * FROM labels WHERE assignment_id = $1', [leased.id])).rows[0];
      const comparison = (await app.db.query('SELECT * FROM comparisons WHERE id = $1', [leased.comparisonId])).rows[0];
      expect(label.outcome).toBe(c.outcome);
      expect(label.left_response_id).toBe(c.firstOnLeft ? comparison.first_response_id : comparison.second_response_id);
      expect(comparison).toMatchObject({ labels_received: 1, state: 'complete' });
      expect((await assignment(leased.id)).state).toBe('submitted');
    }
    const campaign = (await app.db.query('SELECT label_count FROM campaigns WHERE id = $1', [campaignId])).rows[0];
    expect(campaign.label_count).toBe(cases.length);
  });

  it('skips free the slot for another labeler and do not count as judgments', async () => {
    const { campaignId, comparisonIds } = await seed({ comparisons: 1 });
    const leased = (await next(campaignId, labelers[0])).body.assignment;
    expect((await next(campaignId, labelers[1])).body).toEqual({ assignment: null, reason: 'no_comparisons' });
    const skip = await app.post(
      `/assignments/${leased.id}/skip`,
      { reason: 'unreadable', idempotencyKey: 'k1', timeTakenMs: 1200 },
      labelers[0].token,
    );
    expect(skip.status).toBe(201);
    expect(skip.body.label).toMatchObject({ choice: 'skip', skipReason: 'unreadable', timeTakenMs: 1200 });
    const label = (await app.db.query('SELECT * FROM labels WHERE assignment_id = $1', [leased.id])).rows[0];
    expect(label).toMatchObject({ choice: 'skip', outcome: null, skip_reason: 'unreadable' });
    expect((await assignment(leased.id)).state).toBe('skipped');
    const again = await next(campaignId, labelers[1]);
    expect(again.body.assignment.comparisonId).toBe(comparisonIds[0]);
    // The skipping labeler is never given it again.
    expect((await next(campaignId, labelers[0])).body.assignment).toBeNull();
    const counts = await app.db.query(
      'SELECT c.labels_received, k.label_count FROM comparisons c JOIN campaigns k ON k.id = c.campaign_id WHERE c.id = $1',
      [comparisonIds[0]],
    );
    expect(counts.rows[0]).toEqual({ labels_received: 0, label_count: 0 });
  });

  it('makes submit idempotent per (labeler, key) and stores one label per assignment', async () => {
    const { campaignId } = await seed({ comparisons: 4 });
    const a = (await next(campaignId, labelers[0])).body.assignment;
    const body = { choice: 'A', strength: 3, idempotencyKey: 'same-key' };
    const first = await submit(a.id, body, labelers[0]);
    const second = await submit(a.id, body, labelers[0]);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ duplicate: true, label: { id: first.body.label.id } });
    const mismatch = await submit(a.id, { ...body, choice: 'B' }, labelers[0]);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.code).toBe('IDEMPOTENCY_MISMATCH');
    // A changed mind under a new key is a 409 with the stored judgment (issue 12 item 8); the same choice stays a duplicate.
    const newKey = await submit(a.id, { choice: 'B' }, labelers[0]);
    expect(newKey.status).toBe(409);
    expect(newKey.body.details).toMatchObject({
      reason: 'JUDGMENT_EXISTS',
      label: { id: first.body.label.id, choice: 'A' },
    });
    const sameChoice = await submit(a.id, { choice: 'A', strength: 3 }, labelers[0]);
    expect(sameChoice.status).toBe(200);
    expect(sameChoice.body).toMatchObject({ duplicate: true, label: { id: first.body.label.id, choice: 'A' } });
    expect(
      (await app.db.query('SELECT count(*)::int AS n FROM labels WHERE assignment_id = $1', [a.id])).rows[0].n,
    ).toBe(1);

    const b = (await next(campaignId, labelers[0])).body.assignment;
    const racing = await Promise.all(
      [0, 1, 2, 3].map(() => submit(b.id, { choice: 'tie', idempotencyKey: 'race' }, labelers[0])),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(racing.map((r) => r.body.label.id)).size).toBe(1);
    const stored = await app.db.query('SELECT count(*)::int AS n FROM labels WHERE assignment_id = $1', [b.id]);
    expect(stored.rows[0].n).toBe(1);
    const counters = await app.db.query('SELECT label_count FROM campaigns WHERE id = $1', [campaignId]);
    expect(counters.rows[0].label_count).toBe(2);
    // The key already names a label of another assignment.
    const c = (await next(campaignId, labelers[0])).body.assignment;
    expect((await submit(c.id, { choice: 'tie', idempotencyKey: 'race' }, labelers[0])).body.code).toBe(
      'IDEMPOTENCY_MISMATCH',
    );
  });

  it('reclaims expired leases; a late submit counts only while the slot is free', async () => {
    const { campaignId, comparisonIds } = await seed({ comparisons: 2, leaseSeconds: 60 });
    const [l0, l1] = labelers;
    const a = (await next(campaignId, l0)).body.assignment;
    expect(a.comparisonId).toBe(comparisonIds[0]);
    await app.db.query(`UPDATE assignments SET expires_at = now() - interval '1 second' WHERE id = $1`, [a.id]);
    const taken = (await next(campaignId, l1)).body.assignment;
    expect(taken.comparisonId).toBe(comparisonIds[0]);
    const late = await submit(a.id, { choice: 'A' }, l0);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('LEASE_EXPIRED');
    expect((await app.post(`/assignments/${a.id}/heartbeat`, {}, l0.token)).body.code).toBe('LEASE_EXPIRED');
    expect((await submit(taken.id, { choice: 'B' }, l1)).status).toBe(201);

    // Expired, but nobody took it: heartbeat revives it, a late submit is accepted.
    const b = (await next(campaignId, l0)).body.assignment;
    expect(b.comparisonId).toBe(comparisonIds[1]);
    await app.db.query(`UPDATE assignments SET expires_at = now() - interval '1 second' WHERE id = $1`, [b.id]);
    const beat = await app.post(`/assignments/${b.id}/heartbeat`, {}, l0.token);
    expect(beat.status).toBe(200);
    expect(new Date(beat.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 50_000);
    await app.db.query(`UPDATE assignments SET expires_at = now() - interval '1 second' WHERE id = $1`, [b.id]);
    expect((await submit(b.id, { choice: 'A' }, l0)).status).toBe(201);
  });

  it('takes the leases of a labeler removed from the campaign', async () => {
    const { campaignId } = await seed({ comparisons: 6, prompts: 3 });
    const leased = (await next(campaignId, labelers[2])).body.assignment;
    const kept = labelers.slice(0, 2).map((l) => l.id);
    expect(
      (
        await app.request('PUT', `/campaigns/${campaignId}/labelers`, {
          token: owner.token,
          body: { labelerIds: kept },
        })
      ).status,
    ).toBe(200);
    const late = await submit(leased.id, { choice: 'A' }, labelers[2]);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('LEASE_EXPIRED');
    expect((await app.post(`/assignments/${leased.id}/heartbeat`, {}, labelers[2].token)).body.code).toBe(
      'LEASE_EXPIRED',
    );
    expect((await next(campaignId, labelers[2])).status).toBe(404);
    // The freed comparison goes to a remaining labeler.
    const taken = new Set<string>();
    for (let i = 0; i < 3; i++) taken.add((await next(campaignId, labelers[i % 2])).body.assignment.comparisonId);
    expect(taken.has(leased.comparisonId)).toBe(true);
    const { rows } = await app.db.query('SELECT count(*)::int AS n FROM labels WHERE comparison_id = $1', [
      leased.comparisonId,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it('at the prefetch cap hands back the oldest lease the client does not list in `holding`', async () => {
    const { campaignId } = await seed({ comparisons: 10 });
    const ids: string[] = [];
    for (let i = 0; i < app.config.maxLeasesPerLabeler; i++)
      ids.push((await next(campaignId, labelers[1])).body.assignment.id);
    const url = `/campaigns/${campaignId}/next`;
    // A page that shows ids[0] and prefetched ids[1] gets the lease a closed tab left behind.
    const other = await app.post(url, { holding: [ids[0], ids[1]] }, labelers[1].token);
    expect(other.status).toBe(200);
    expect(other.body.assignment.id).toBe(ids[2]);
    // Holding all of them: nothing new, and the reason says why.
    const none = await app.post(url, { holding: ids }, labelers[1].token);
    expect(none.body).toEqual({ assignment: null, reason: 'lease_cap' });
    // No body at all still works (the old client).
    const bare = await app.request('POST', url, { token: labelers[1].token });
    expect(bare.body.assignment.id).toBe(ids[0]);
    const bad = await app.post(url, { holding: ['not-a-uuid'] }, labelers[1].token);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('hands back the oldest lease at the prefetch cap', async () => {
    const { campaignId } = await seed({ comparisons: 10 });
    const ids: string[] = [];
    for (let i = 0; i < app.config.maxLeasesPerLabeler; i++)
      ids.push((await next(campaignId, labelers[2])).body.assignment.id);
    expect(new Set(ids).size).toBe(app.config.maxLeasesPerLabeler);
    const capped = await next(campaignId, labelers[2]);
    expect(capped.body.assignment.id).toBe(ids[0]);
    const progress = await app.get(`/campaigns/${campaignId}/progress`, labelers[2].token);
    expect(progress.body).toMatchObject({ leased: ids.length, remaining: 10 - ids.length, doneTotal: 0 });
    await submit(ids[0], { choice: 'tie' }, labelers[2]);
    const after = await app.get(`/campaigns/${campaignId}/progress`, labelers[2].token);
    expect(after.body).toMatchObject({ doneToday: 1, doneTotal: 1, budget: { used: 1 } });
  });

  it('checks roles on every labeling route', async () => {
    const { campaignId } = await seed({ comparisons: 5 });
    const outsider = await app.createUser('labeler');
    const stranger = await app.createUser('researcher');
    const admin = await app.createUser('admin');
    for (const user of [outsider, stranger]) {
      expect((await next(campaignId, user)).status).toBe(404);
      expect((await app.get(`/campaigns/${campaignId}/progress`, user.token)).status).toBe(404);
    }
    expect((await next(campaignId, owner)).status).toBe(200);
    expect((await next(campaignId, admin)).status).toBe(200);
    const a = (await next(campaignId, labelers[0])).body.assignment;
    for (const path of ['heartbeat', 'submit', 'skip']) {
      const body = path === 'skip' ? { reason: 'x', idempotencyKey: 'k' } : { choice: 'A', idempotencyKey: 'k' };
      const res = await app.post(`/assignments/${a.id}/${path}`, body, labelers[1].token);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('LEASE_NOT_HELD');
      expect((await app.post(`/assignments/${a.id}/${path}`, body)).status).toBe(401);
      expect((await app.post(`/assignments/${randomUUID()}/${path}`, body, labelers[0].token)).status).toBe(404);
    }
    expect((await app.post(`/campaigns/${campaignId}/next`, {})).status).toBe(401);
    expect((await app.get(`/campaigns/${campaignId}/progress`)).status).toBe(401);
    expect((await next('not-a-uuid', labelers[0])).status).toBe(404);
  });

  it('names the failing field and refuses oversize bodies', async () => {
    const { campaignId } = await seed({ comparisons: 2 });
    const a = (await next(campaignId, labelers[1])).body.assignment;
    const paths = async (body: object, route = 'submit') => {
      const res = await app.post(`/assignments/${a.id}/${route}`, body, labelers[1].token);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      return res.body.details.issues.map((i: { path: string }) => i.path).sort();
    };
    expect(await paths({ choice: 'tie', strength: 2, idempotencyKey: 'k' })).toEqual(['strength']);
    expect(await paths({ choice: 'A', strength: 4, idempotencyKey: 'k' })).toEqual(['strength']);
    expect(await paths({ choice: 'C', rationale: 'x'.repeat(10_001) })).toEqual([
      'choice',
      'idempotencyKey',
      'rationale',
    ]);
    expect(await paths({ choice: 'A', idempotencyKey: 'k', timeTakenMs: -1 })).toEqual(['timeTakenMs']);
    expect(await paths({ idempotencyKey: 'k', reason: '' }, 'skip')).toEqual(['reason']);
    const big = await app.request('POST', `/assignments/${a.id}/submit`, {
      token: labelers[1].token,
      body: JSON.stringify({ choice: 'A', idempotencyKey: 'k', rationale: 'x'.repeat(2 * 1024 * 1024) }),
      contentType: 'application/json',
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await assignment(a.id)).state).toBe('leased');
  });

  it('refuses to lease on an inactive campaign and reports an empty buffer', async () => {
    const paused = await seed({ comparisons: 2, status: 'paused' });
    const res = await next(paused.campaignId, labelers[0]);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('CAMPAIGN_NOT_ACTIVE');
    const empty = await seed({ comparisons: 0 });
    expect((await next(empty.campaignId, labelers[0])).body).toEqual({ assignment: null, reason: 'no_comparisons' });
  });
});
