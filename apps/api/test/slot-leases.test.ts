/**
 * Leases as slot rows (issue 11 item 1): many more `next` calls than slots must lease every slot once
 * and never give a lease back; one lease per labeler per comparison is the database's rule; an expired
 * lease's slot is taken again; live leases covering the budget answer the retryable budget_leased;
 * and the migration gives an existing campaign's comparisons their slots.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from '../src/auth/auth.service';
import { ADMIN_URL } from './support/global-setup';
import { startTestApp, type TestApp } from './support/harness';
import { seedLabelingCampaign } from './support/labeling-fixtures';
import { migrationFiles } from './support/migrations';

const CALLERS = 200;

interface Caller {
  id: string;
  token: string;
}

/** The slot and lease picture of a campaign, straight from the tables. */
async function leasePicture(db: Pool, campaignId: string) {
  const { rows } = await db.query<{
    assignments: number;
    live: number;
    given_back: number;
    slots_leased: number;
    mismatched: number;
    over: number;
    twice: number;
  }>(
    `SELECT
       (SELECT count(*)::int FROM assignments WHERE campaign_id = $1) AS assignments,
       (SELECT count(*)::int FROM assignments WHERE campaign_id = $1 AND state = 'leased' AND expires_at > now()) AS live,
       -- what the old recount left behind when it gave a lease back: an ended, unjudged lease
       (SELECT count(*)::int FROM assignments WHERE campaign_id = $1 AND state <> 'leased' AND state <> 'submitted')
         AS given_back,
       (SELECT count(*)::int FROM comparison_slots WHERE campaign_id = $1 AND state = 'leased') AS slots_leased,
       -- every lease holds its own slot, and every leased slot names a lease that holds it
       (SELECT count(*)::int FROM assignments a LEFT JOIN comparison_slots s
          ON s.comparison_id = a.comparison_id AND s.slot = a.slot AND s.assignment_id = a.id AND s.state = 'leased'
        WHERE a.campaign_id = $1 AND a.state = 'leased' AND s.slot IS NULL) AS mismatched,
       (SELECT count(*)::int FROM (SELECT c.id FROM comparisons c JOIN assignments a ON a.comparison_id = c.id
          AND a.state = 'leased' AND a.expires_at > now()
        WHERE c.campaign_id = $1 GROUP BY c.id, c.labels_required, c.labels_received
        HAVING count(*) + c.labels_received > c.labels_required) o) AS over,
       (SELECT count(*)::int FROM (SELECT 1 FROM assignments WHERE campaign_id = $1
        GROUP BY comparison_id, labeler_id HAVING count(*) > 1) t) AS twice`,
    [campaignId],
  );
  return rows[0];
}

describe('leases as slot rows', () => {
  let app: TestApp;
  let ownerId: string;
  let callers: Caller[];

  beforeAll(async () => {
    app = await startTestApp();
    ownerId = (await app.createUser('researcher')).id;
    // Users straight into the table (hashing 200 passwords would take most of the test's time).
    const { rows } = await app.db.query<{ id: string }>(
      `INSERT INTO users (id, email, name, role)
       SELECT gen_random_uuid(), 'slot-' || g || '-' || $1 || '@test.borda', 'slot labeler ' || g, 'labeler'
       FROM generate_series(1, $2) g RETURNING id`,
      [randomUUID().slice(0, 8), CALLERS],
    );
    const auth = app.http.get(AuthService);
    callers = await Promise.all(
      rows.map(async (r) => ({ id: r.id, token: (await auth.createToken(r.id, 't')).token })),
    );
  });
  afterAll(() => app?.close());

  const seed = (options: object) =>
    seedLabelingCampaign(app, { ownerId, labelerIds: callers.map((c) => c.id), ...options });
  const next = (campaignId: string, caller: Caller) => app.post(`/campaigns/${campaignId}/next`, {}, caller.token);

  for (const k of [1, 3]) {
    it(`k=${k}: ${CALLERS} simultaneous next calls over fewer slots lease each slot once and give nothing back`, async () => {
      const comparisons = k === 1 ? 70 : 40;
      const slots = comparisons * k;
      const { campaignId } = await seed({ comparisons, prompts: 10, responsesPerPrompt: 8, redundancy: k });
      const results = await Promise.all(callers.map((c) => next(campaignId, c)));
      expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      const leased = results.filter((r) => r.body.assignment);
      expect(leased.length).toBe(slots);
      expect(results.filter((r) => r.body.reason === 'no_comparisons').length).toBe(CALLERS - slots);
      const picture = await leasePicture(app.db, campaignId);
      expect(picture).toEqual({
        assignments: slots,
        live: slots,
        given_back: 0,
        slots_leased: slots,
        mismatched: 0,
        over: 0,
        twice: 0,
      });
      // Each comparison was handed to exactly k labelers.
      const perComparison = new Map<string, number>();
      for (const r of leased) {
        const id = r.body.assignment.comparisonId as string;
        perComparison.set(id, (perComparison.get(id) ?? 0) + 1);
      }
      expect(perComparison.size).toBe(comparisons);
      expect([...perComparison.values()].every((n) => n === k)).toBe(true);
    });
  }

  it('one lease per labeler per comparison is a unique index, not a check that could race', async () => {
    const { campaignId, comparisonIds } = await seed({ comparisons: 2, redundancy: 3 });
    const [labeler] = callers;
    const lease = (await next(campaignId, labeler)).body.assignment;
    expect(lease.comparisonId).toBe(comparisonIds[0]);
    const duplicate = app.db.query(
      `INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, first_on_left, expires_at, slot)
       VALUES (gen_random_uuid(), $1, $2, $3, true, now() + interval '5 minutes', 1)`,
      [campaignId, comparisonIds[0], labeler.id],
    );
    await expect(duplicate).rejects.toMatchObject({ code: '23505' });
    // The same labeler asking again gets the other comparison, never a second slot of the first.
    expect((await next(campaignId, labeler)).body.assignment.comparisonId).toBe(comparisonIds[1]);
  });

  it('one labeler asking twice at once (two tabs) gets two different comparisons, not nothing', async () => {
    for (let round = 0; round < 3; round++) {
      // k=3: both requests go for the first comparison's slots; the unique index refuses the second.
      const { campaignId } = await seed({ comparisons: 10, prompts: 10, redundancy: 3 });
      const labeler = callers[1 + round];
      const results = await Promise.all([next(campaignId, labeler), next(campaignId, labeler)]);
      expect(results.map((r) => r.body.reason ?? 'leased')).toEqual(['leased', 'leased']);
      expect(new Set(results.map((r) => r.body.assignment.comparisonId)).size).toBe(2);
      expect((await leasePicture(app.db, campaignId)).twice).toBe(0);
    }
  });

  it('an expired lease’s slot is available again; the late judgment is refused once it was re-taken', async () => {
    const { campaignId, comparisonIds } = await seed({ comparisons: 1, redundancy: 1 });
    const [first, second] = callers;
    const lease = (await next(campaignId, first)).body.assignment;
    expect((await next(campaignId, second)).body).toEqual({ assignment: null, reason: 'no_comparisons' });
    await app.db.query(`UPDATE assignments SET expires_at = now() - interval '1 second' WHERE id = $1`, [lease.id]);
    const slot = await app.db.query(
      'SELECT state, expires_at < now() AS lapsed FROM comparison_slots WHERE comparison_id = $1',
      [comparisonIds[0]],
    );
    expect(slot.rows).toEqual([{ state: 'leased', lapsed: true }]);
    const retaken = (await next(campaignId, second)).body.assignment;
    expect(retaken.comparisonId).toBe(comparisonIds[0]);
    const late = await app.post(
      `/assignments/${lease.id}/submit`,
      { choice: 'A', idempotencyKey: randomUUID() },
      first.token,
    );
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('LEASE_EXPIRED');
    const judged = await app.post(
      `/assignments/${retaken.id}/submit`,
      { choice: 'B', idempotencyKey: randomUUID() },
      second.token,
    );
    expect(judged.status).toBe(201);
    const after = await app.db.query(
      `SELECT s.state, s.assignment_id, c.labels_received, c.state AS comparison FROM comparison_slots s
       JOIN comparisons c ON c.id = s.comparison_id WHERE s.comparison_id = $1`,
      [comparisonIds[0]],
    );
    expect(after.rows).toEqual([
      { state: 'filled', assignment_id: retaken.id, labels_received: 1, comparison: 'complete' },
    ]);
  });

  it('answers the retryable budget_leased while live leases cover the budget, and leases again once one is judged', async () => {
    const { campaignId } = await seed({ comparisons: 20, redundancy: 1, budget: 4 });
    const results = await Promise.all(callers.slice(0, 12).map((c) => next(campaignId, c)));
    const holders = results.flatMap((r, i) =>
      r.body.assignment ? [{ caller: callers[i], lease: r.body.assignment }] : [],
    );
    expect(holders.length).toBe(4);
    expect(results.filter((r) => r.body.reason === 'budget_leased').length).toBe(8);
    const waiting = callers[20];
    expect((await next(campaignId, waiting)).body).toEqual({ assignment: null, reason: 'budget_leased' });
    // A skip ends a lease without using budget: its slot and budget share are free again.
    const skip = await app.post(
      `/assignments/${holders[0].lease.id}/skip`,
      { reason: 'unsure', idempotencyKey: randomUUID() },
      holders[0].caller.token,
    );
    expect(skip.status).toBe(201);
    expect((await next(campaignId, waiting)).body.assignment).not.toBeNull();
    expect((await leasePicture(app.db, campaignId)).over).toBe(0);
  });

  it('raising labels_required adds slots in the same statement (extra judgments, split votes)', async () => {
    const { comparisonIds } = await seed({ comparisons: 1, redundancy: 2 });
    await app.db.query('UPDATE comparisons SET labels_required = labels_required + 1 WHERE id = $1', [
      comparisonIds[0],
    ]);
    const slots = await app.db.query(
      'SELECT slot, state FROM comparison_slots WHERE comparison_id = $1 ORDER BY slot',
      [comparisonIds[0]],
    );
    expect(slots.rows).toEqual([
      { slot: 0, state: 'open' },
      { slot: 1, state: 'open' },
      { slot: 2, state: 'open' },
    ]);
  });
});

describe('the comparison_slots migration', () => {
  const name = `borda_slots_migration_${randomUUID().slice(0, 8)}`;
  let admin: Client;
  let db: Client;

  beforeAll(async () => {
    admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    db = new Client({ connectionString: url.toString() });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await admin?.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin?.end();
  });

  it('gives an existing campaign filled slots for its judgments and leased slots for its live leases', async () => {
    const files = migrationFiles();
    const slotsAt = files.findIndex((f) => path.basename(path.dirname(f)).endsWith('_comparison_slots'));
    expect(slotsAt).toBeGreaterThan(0);
    for (const file of files.slice(0, slotsAt)) await db.query(readFileSync(file, 'utf8'));
    // A campaign as the old lease code left it.
    await db.query(`
      INSERT INTO users (id, email, name, role) VALUES
        ('00000000-0000-4000-8000-000000000001', 'o@x', 'o', 'researcher'),
        ('00000000-0000-4000-8000-000000000011', 'a@x', 'a', 'labeler'),
        ('00000000-0000-4000-8000-000000000012', 'b@x', 'b', 'labeler'),
        ('00000000-0000-4000-8000-000000000013', 'c@x', 'c', 'labeler');
      INSERT INTO campaigns (id, owner_id, name, status, strategy, model_kind, budget, redundancy, updated_at)
        VALUES ('00000000-0000-4000-8000-0000000000c0', '00000000-0000-4000-8000-000000000001', 'old', 'active',
                'seed', 'auto', 100, 3, now());
      INSERT INTO prompts (id, campaign_id, external_id, ordinal, text)
        VALUES ('00000000-0000-4000-8000-0000000000f0', '00000000-0000-4000-8000-0000000000c0', 'p', 0, 'p');
      INSERT INTO responses (id, campaign_id, prompt_id, ordinal, text) VALUES
        ('00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-0000000000c0',
         '00000000-0000-4000-8000-0000000000f0', 0, 'r1'),
        ('00000000-0000-4000-8000-0000000000e2', '00000000-0000-4000-8000-0000000000c0',
         '00000000-0000-4000-8000-0000000000f0', 1, 'r2');
      INSERT INTO comparisons (id, campaign_id, prompt_id, first_response_id, second_response_id, strategy, score,
                               labels_required, labels_received, state)
      SELECT id::uuid, '00000000-0000-4000-8000-0000000000c0', '00000000-0000-4000-8000-0000000000f0',
             '00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-0000000000e2', 'seed', 0, req, got,
             st::"ComparisonState"
      FROM (VALUES ('00000000-0000-4000-8000-0000000000a1', 3, 1, 'open'),
                   ('00000000-0000-4000-8000-0000000000a2', 1, 0, 'open'),
                   ('00000000-0000-4000-8000-0000000000a3', 2, 2, 'complete')) v(id, req, got, st);
      INSERT INTO assignments (id, campaign_id, comparison_id, labeler_id, state, first_on_left, expires_at, finished_at)
      SELECT id::uuid, '00000000-0000-4000-8000-0000000000c0', cmp::uuid, who::uuid, st::"AssignmentState", true,
             now() + ttl::interval, CASE WHEN st = 'submitted' THEN now() END
      FROM (VALUES
        -- a1: one judgment, one live lease, one lapsed lease
        ('00000000-0000-4000-8000-00000000b111', '00000000-0000-4000-8000-0000000000a1',
         '00000000-0000-4000-8000-000000000011', 'submitted', '-1 minute'),
        ('00000000-0000-4000-8000-00000000b112', '00000000-0000-4000-8000-0000000000a1',
         '00000000-0000-4000-8000-000000000012', 'leased', '5 minutes'),
        ('00000000-0000-4000-8000-00000000b113', '00000000-0000-4000-8000-0000000000a1',
         '00000000-0000-4000-8000-000000000013', 'leased', '-1 minute'),
        -- a2: over-leased by the old race, two live leases on one slot
        ('00000000-0000-4000-8000-00000000b121', '00000000-0000-4000-8000-0000000000a2',
         '00000000-0000-4000-8000-000000000011', 'leased', '5 minutes'),
        ('00000000-0000-4000-8000-00000000b122', '00000000-0000-4000-8000-0000000000a2',
         '00000000-0000-4000-8000-000000000012', 'leased', '4 minutes'),
        -- a3: complete, two judgments
        ('00000000-0000-4000-8000-00000000b131', '00000000-0000-4000-8000-0000000000a3',
         '00000000-0000-4000-8000-000000000011', 'submitted', '-1 minute'),
        ('00000000-0000-4000-8000-00000000b132', '00000000-0000-4000-8000-0000000000a3',
         '00000000-0000-4000-8000-000000000012', 'submitted', '-1 minute')) v(id, cmp, who, st, ttl);
      INSERT INTO labels (id, campaign_id, comparison_id, assignment_id, labeler_id, choice, left_response_id,
                          right_response_id, outcome, idempotency_key)
      SELECT gen_random_uuid(), a.campaign_id, a.comparison_id, a.id, a.labeler_id, 'A',
             '00000000-0000-4000-8000-0000000000e1', '00000000-0000-4000-8000-0000000000e2', 1, a.id::text
      FROM assignments a WHERE a.state = 'submitted';
    `);
    await db.query(readFileSync(files[slotsAt], 'utf8'));
    const slots = await db.query<{ comparison_id: string; slot: number; state: string; assignment_id: string | null }>(
      `SELECT comparison_id::text, slot, state::text, assignment_id::text FROM comparison_slots
       ORDER BY comparison_id, slot`,
    );
    const c = (n: string) => `00000000-0000-4000-8000-0000000000a${n}`;
    const b = (n: string) => `00000000-0000-4000-8000-00000000b${n}`;
    expect(slots.rows).toEqual([
      { comparison_id: c('1'), slot: 0, state: 'filled', assignment_id: b('111') },
      { comparison_id: c('1'), slot: 1, state: 'leased', assignment_id: b('112') },
      // the lapsed lease keeps its slot (a late judgment may still fill it) but the slot is available
      { comparison_id: c('1'), slot: 2, state: 'leased', assignment_id: b('113') },
      // only the later-expiring of the two racing leases gets the one slot
      { comparison_id: c('2'), slot: 0, state: 'leased', assignment_id: b('121') },
      { comparison_id: c('3'), slot: 0, state: 'filled', assignment_id: b('131') },
      { comparison_id: c('3'), slot: 1, state: 'filled', assignment_id: b('132') },
    ]);
    const held = await db.query<{ id: string; slot: number | null }>(
      'SELECT id::text, slot FROM assignments ORDER BY id',
    );
    expect(held.rows).toEqual([
      { id: b('111'), slot: 0 },
      { id: b('112'), slot: 1 },
      { id: b('113'), slot: 2 },
      { id: b('121'), slot: 0 },
      { id: b('122'), slot: null },
      { id: b('131'), slot: 0 },
      { id: b('132'), slot: 1 },
    ]);
    // From now on a new comparison comes with its slots.
    await db.query(`
      INSERT INTO comparisons (id, campaign_id, prompt_id, first_response_id, second_response_id, strategy, score,
                               labels_required)
      VALUES ('00000000-0000-4000-8000-0000000000a4', '00000000-0000-4000-8000-0000000000c0',
              '00000000-0000-4000-8000-0000000000f0', '00000000-0000-4000-8000-0000000000e1',
              '00000000-0000-4000-8000-0000000000e2', 'seed', 0, 2)`);
    const fresh = await db.query(
      `SELECT count(*)::int AS n FROM comparison_slots WHERE comparison_id = $1 AND state = 'open'`,
      [c('4')],
    );
    expect(fresh.rows[0].n).toBe(2);
  });
});
