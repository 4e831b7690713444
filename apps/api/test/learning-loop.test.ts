/**
 * The learning loop on the real service: Featurize, ComparisonSelect, RewardModelFit → PolicyFit →
 * ComparisonSelect, with rows seeded by SQL (learning-fixtures.ts) and jobs queued through JobChain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobChain } from '../src/jobs/job-chain.service';
import { JobDispatcher } from '../src/jobs/job-dispatcher.service';
import { JobName } from '../src/jobs/job-names';
import { type TestApp, type TestUser, startTestApp, waitFor } from './support/harness';
import { fixtureRng, seedCampaign, seedJudgments } from './support/learning-fixtures';

let app: TestApp;
let researcher: TestUser;
let labeler: TestUser;
let chain: JobChain;

beforeAll(async () => {
  app = await startTestApp({ workers: true });
  researcher = await app.createUser('researcher');
  labeler = await app.createUser('labeler');
  chain = app.http.get(JobChain);
});

afterAll(async () => {
  await app?.close();
});

async function runs(campaignId: string, name: string) {
  const { rows } = await app.db.query(
    `SELECT id, state, result, error, payload, started_at, finished_at FROM job_runs
     WHERE campaign_id = $1 AND name = $2 ORDER BY queued_at`,
    [campaignId, name],
  );
  return rows;
}

async function completedRuns(campaignId: string, name: string, count = 1) {
  const outcome = await waitFor(
    async () => {
      const all = await runs(campaignId, name);
      const failed = all.find((r) => r.state === 'failed' || (r.state === 'queued' && r.error));
      if (failed) return { failed };
      const done = all.filter((r) => r.state === 'completed');
      return done.length >= count ? { done } : null;
    },
    60_000,
    `${count} completed ${name}`,
  );
  if ('failed' in outcome) throw new Error(`${name} failed: ${outcome.failed.error}`);
  return outcome.done;
}

async function openComparisons(campaignId: string) {
  const { rows } = await app.db.query(
    `SELECT c.prompt_id, c.first_response_id, c.second_response_id, c.model_version_id, c.selection_run_id,
       c.labels_required, p.ordinal AS prompt_ordinal, f.ordinal AS first_ordinal, s.ordinal AS second_ordinal
     FROM comparisons c JOIN prompts p ON p.id = c.prompt_id JOIN responses f ON f.id = c.first_response_id
       JOIN responses s ON s.id = c.second_response_id
     WHERE c.campaign_id = $1 AND c.state = 'open' ORDER BY c.position`,
    [campaignId],
  );
  return rows;
}

/** Random unit-ish embeddings; the utility of a response is 3 × its first coordinate. */
function embeddings(seed: number) {
  const cache = new Map<string, number[]>();
  return (p: number, r: number | null) => {
    const key = `${p}:${r}`;
    if (!cache.has(key)) {
      const rand = fixtureRng(seed * 7919 + p * 131 + (r ?? -1) * 17 + 3);
      cache.set(
        key,
        Array.from({ length: 8 }, () => rand() * 2 - 1),
      );
    }
    return cache.get(key)!;
  };
}

describe('Featurize', () => {
  it('embeds prompt text, messages and responses as float32 vectors of featureDim values', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 12,
      responsesPerPrompt: 3,
      featureDim: 16,
      status: 'draft',
    });
    await chain.afterImport(seeded.campaignId);
    const [run] = await completedRuns(seeded.campaignId, 'Featurize');
    expect(run.result).toMatchObject({ prompts: 12, responses: 36, dimension: 16 });
    const { rows } = await app.db.query(
      `SELECT octet_length(embedding) AS bytes, featurized_at FROM prompts WHERE campaign_id = $1
       UNION ALL SELECT octet_length(embedding), featurized_at FROM responses WHERE campaign_id = $1`,
      [seeded.campaignId],
    );
    expect(rows).toHaveLength(48);
    for (const row of rows) {
      expect(row.bytes).toBe(64);
      expect(row.featurized_at).not.toBeNull();
    }
    // Distinct texts get distinct vectors; a draft campaign gets no comparisons.
    const { rows: distinct } = await app.db.query(
      'SELECT count(DISTINCT embedding)::int AS n FROM responses WHERE campaign_id = $1',
      [seeded.campaignId],
    );
    expect(distinct[0].n).toBe(36);
    expect(await openComparisons(seeded.campaignId)).toHaveLength(0);
  });
});

describe('ComparisonSelect', () => {
  it('fills the buffer with distinct open comparisons from the prior model', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 30,
      responsesPerPrompt: 4,
      embedding: embeddings(1),
      bufferSize: 12,
      batchSize: 5,
      redundancy: 2,
    });
    await chain.refillIfLow(seeded.campaignId, true);
    const [run] = await completedRuns(seeded.campaignId, 'ComparisonSelect');
    const open = await openComparisons(seeded.campaignId);
    expect(open).toHaveLength(12);
    expect(run.result.created).toBe(12);
    const keys = new Set(
      open.map((c) => `${c.prompt_id}:${[c.first_response_id, c.second_response_id].sort().join(':')}`),
    );
    expect(keys.size).toBe(12);
    for (const c of open) {
      expect(c.first_response_id).not.toBe(c.second_response_id);
      expect(c.model_version_id).toBeNull();
      expect(c.selection_run_id).toBe(run.id);
      expect(c.labels_required).toBe(2);
    }
  });

  it('creates no more comparisons than the budget can absorb', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 20,
      responsesPerPrompt: 3,
      embedding: embeddings(2),
      budget: 9,
      bufferSize: 20,
      batchSize: 4,
    });
    await seedJudgments(app.db, seeded, { labelerId: labeler.id, count: 4, utility: () => 0, markFitted: true });
    await chain.refillIfLow(seeded.campaignId, true);
    await completedRuns(seeded.campaignId, 'ComparisonSelect');
    expect(await openComparisons(seeded.campaignId)).toHaveLength(5);
    // Nothing left: a second select creates nothing.
    await chain.refillIfLow(seeded.campaignId, true);
    const second = await completedRuns(seeded.campaignId, 'ComparisonSelect', 2);
    expect(second[1].result.created).toBe(0);
    expect(await openComparisons(seeded.campaignId)).toHaveLength(5);
  });

  it('does nothing for a campaign that is not active', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 5,
      responsesPerPrompt: 3,
      embedding: embeddings(3),
      status: 'paused',
    });
    await app.http.get(JobDispatcher).enqueue(JobName.ComparisonSelect, { campaignId: seeded.campaignId });
    const [run] = await completedRuns(seeded.campaignId, 'ComparisonSelect');
    expect(run.result.created).toBe(0);
    expect(await openComparisons(seeded.campaignId)).toHaveLength(0);
  });

  it('is deterministic under the seed: identical state gives identical comparisons', async () => {
    const picks = [];
    for (const strategy of ['uniform', 'uniform']) {
      const seeded = await seedCampaign(app.db, {
        ownerId: researcher.id,
        prompts: 25,
        responsesPerPrompt: 5,
        embedding: embeddings(4),
        strategy,
        seed: 42,
        bufferSize: 10,
        batchSize: 10,
      });
      await chain.refillIfLow(seeded.campaignId, true);
      await completedRuns(seeded.campaignId, 'ComparisonSelect');
      picks.push(
        (await openComparisons(seeded.campaignId)).map((c) => [c.prompt_ordinal, c.first_ordinal, c.second_ordinal]),
      );
    }
    expect(picks[0]).toHaveLength(10);
    expect(picks[1]).toEqual(picks[0]);
  });
});

describe('data a learning job cannot use', () => {
  // A stored embedding that is not a finite float32 (written before import checked the float32 range)
  // used to fail every ComparisonSelect while labelers were told no_comparisons forever.
  it('pauses the campaign with the reason instead of failing at every refill', async () => {
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 6,
      responsesPerPrompt: 3,
      embedding: embeddings(11),
      bufferSize: 4,
      batchSize: 2,
    });
    const { campaignId } = seeded;
    const infinity = Buffer.alloc(32);
    infinity.writeFloatLE(Infinity, 0);
    await app.db.query('UPDATE responses SET embedding = $2 WHERE id = $1', [seeded.responseIds[2][1], infinity]);
    await app.db.query('INSERT INTO campaign_labelers (campaign_id, user_id) VALUES ($1, $2)', [
      campaignId,
      labeler.id,
    ]);
    await chain.refillIfLow(campaignId, true);
    const halted = await waitFor(
      async () => {
        const { rows } = await app.db.query('SELECT status, halted_reason FROM campaigns WHERE id = $1', [campaignId]);
        return rows[0].status === 'paused' ? rows[0] : null;
      },
      30_000,
      'the campaign to be paused',
    );
    expect(halted.halted_reason).toMatch(new RegExp(`response ${seeded.responseIds[2][1]} embedding.*Infinity`));
    const [run] = await runs(campaignId, 'ComparisonSelect');
    expect(run).toMatchObject({ state: 'failed' });
    expect(run.error).toMatch(/Infinity/);
    const audit = await app.db.query(`SELECT action, details FROM audit_log WHERE campaign_id = $1`, [campaignId]);
    expect(audit.rows).toEqual([{ action: 'campaign.halted', details: expect.objectContaining({ jobRunId: run.id }) }]);
    // Researchers see why; labelers are told the campaign is paused rather than that work is coming.
    const view = await app.get(`/campaigns/${campaignId}`, researcher.token);
    expect(view.body.haltedReason).toBe(halted.halted_reason);
    const next = await app.post(`/campaigns/${campaignId}/next`, {}, labeler.token);
    expect(next.status).toBe(409);
    expect(next.body).toMatchObject({ code: 'CAMPAIGN_NOT_ACTIVE', details: { status: 'paused' } });
    // Resuming clears the reason (the next job checks the data again).
    expect((await app.post(`/campaigns/${campaignId}/resume`, {}, researcher.token)).body.haltedReason).toBeNull();
  });
});

describe('RewardModelFit → PolicyFit → ComparisonSelect', () => {
  it('publishes versions with held-out metrics, then policies (with DPO) and a refill on the new model', async () => {
    const emb = embeddings(5);
    // Steep enough that most labels agree with the utility: the held-out set is a random hashed fifth
    // (about 48 labels), and its Brier score must beat the 0.25 of a coin whichever labels it holds
    // (with 3× the first coordinate it once came out at 0.253).
    const utility = (p: number, r: number) => 6 * emb(p, r)[0];
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 40,
      responsesPerPrompt: 4,
      embedding: emb,
      bufferSize: 10,
      batchSize: 5,
      referenceLogprob: (p, r) => -1 - 0.1 * r - 0.01 * p,
      modelOptions: { dpo: { epochs: 50 } },
    });
    const { campaignId } = seeded;
    await seedJudgments(app.db, seeded, { labelerId: labeler.id, count: 240, utility });
    await chain.fitNow(campaignId);
    const [fit] = await completedRuns(campaignId, 'RewardModelFit');
    const { rows: versions } = await app.db.query(
      'SELECT id, version, kind, label_count, metrics, certificate, job_run_id FROM model_versions WHERE campaign_id = $1',
      [campaignId],
    );
    expect(versions).toHaveLength(1);
    const v1 = versions[0];
    expect(v1).toMatchObject({ version: 1, kind: 'borda-gp', label_count: 240, job_run_id: fit.id });
    const m = v1.metrics;
    expect(m.trainSize + m.testSize).toBe(240);
    expect(m.testSize).toBeGreaterThan(15);
    expect(m.heldOutAccuracy).toBeGreaterThan(0.5);
    expect(m.calibration).toHaveLength(10);
    expect(m.calibration.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(m.testSize);
    expect(m.logLoss).toBeGreaterThan(0);
    expect(m.brier).toBeGreaterThan(0);
    expect(m.brier).toBeLessThan(0.25);
    expect(m.probabilityScale).toBeGreaterThan(0);
    expect(v1.certificate).toMatchObject({ units: 'borda', beta: 2, prompts: 40, labelCount: 240 });
    expect(seeded.promptIds).toContain(v1.certificate.promptId);
    expect(v1.certificate.gap).toBeGreaterThanOrEqual(v1.certificate.meanGap);

    // The chain: PolicyFit on version 1, then a refill on version 1.
    const [policyRun] = await completedRuns(campaignId, 'PolicyFit');
    expect(policyRun.payload.modelVersionId).toBe(v1.id);
    const { rows: entries } = await app.db.query(
      `SELECT e.*, r.ordinal FROM policy_entries e JOIN responses r ON r.id = e.greedy_response_id
       WHERE e.campaign_id = $1`,
      [campaignId],
    );
    expect(entries).toHaveLength(40);
    for (const e of entries) {
      expect(e.dpo_response_id).not.toBeNull();
      expect(e.responses).toHaveLength(4);
      const soft = e.responses.reduce((s: number, x: { softProbability: number }) => s + x.softProbability, 0);
      expect(soft).toBeCloseTo(1, 6);
      expect(e.gap).toBeGreaterThanOrEqual(0);
    }
    // The greedy pick follows the true utility more often than chance (1/4).
    const best = entries.filter((e) => {
      const p = seeded.promptIds.indexOf(e.prompt_id);
      const us = [0, 1, 2, 3].map((r) => utility(p, r));
      return us[e.ordinal] === Math.max(...us);
    }).length;
    expect(best / 40).toBeGreaterThan(0.4);
    const { rows: policy } = await app.db.query(
      'SELECT summary, dpo_parameters FROM policy_versions WHERE campaign_id = $1',
      [campaignId],
    );
    expect(policy).toHaveLength(1);
    expect(policy[0].summary.prompts).toBe(40);
    expect(policy[0].summary.dpo.trainPairs).toBeGreaterThan(0);
    expect(policy[0].dpo_parameters).not.toBeNull();

    await waitFor(
      async () => {
        const open = await openComparisons(campaignId);
        return open.length === 10 && open.every((c) => c.model_version_id === v1.id);
      },
      30_000,
      'a refill on version 1',
    );

    // More judgments, another fit: version 2, and the next selection runs on it.
    await seedJudgments(app.db, seeded, { labelerId: labeler.id, count: 60, utility, seed: 11 });
    await app.db.query(`UPDATE comparisons SET state = 'cancelled' WHERE campaign_id = $1 AND state = 'open'`, [
      campaignId,
    ]);
    await chain.fitNow(campaignId);
    await completedRuns(campaignId, 'RewardModelFit', 2);
    const { rows: v2 } = await app.db.query(
      'SELECT id, label_count, metrics FROM model_versions WHERE campaign_id = $1 AND version = 2',
      [campaignId],
    );
    expect(v2[0].label_count).toBe(300);
    expect(v2[0].metrics.trainSize + v2[0].metrics.testSize).toBe(300);
    await completedRuns(campaignId, 'PolicyFit', 2);
    await waitFor(
      async () => {
        const open = await openComparisons(campaignId);
        return open.length === 10 && open.every((c) => c.model_version_id === v2[0].id);
      },
      30_000,
      'a refill on version 2',
    );
    // Older policy entries are gone, their versions kept.
    const { rows: counts } = await app.db.query(
      `SELECT (SELECT count(*)::int FROM policy_versions WHERE campaign_id = $1) AS versions,
              (SELECT count(*)::int FROM policy_entries WHERE campaign_id = $1) AS entries`,
      [campaignId],
    );
    expect(counts[0]).toEqual({ versions: 2, entries: 40 });
    // The second policy says how many greedy picks it changed and what the new model thinks that is worth.
    const listed = await app.get(`/campaigns/${campaignId}/policy/versions`, researcher.token);
    expect(listed.status).toBe(200);
    expect(listed.body.map((p: { version: number }) => p.version)).toEqual([2, 1]);
    expect(listed.body[1].summary.churn).toBeNull();
    const churn = listed.body[0].summary.churn;
    expect(churn).toMatchObject({ previousVersion: 1, comparedPrompts: 40, units: 'borda' });
    expect(churn.changedPrompts).toBeLessThanOrEqual(40);
    expect(churn.changedShare).toBeCloseTo(churn.changedPrompts / 40, 10);
    expect(churn.estimatedGain).toBeGreaterThanOrEqual(0);
  });
});

describe('Bradley–Terry model families', () => {
  it.each([
    ['dts', 'linear-bt'],
    ['apo', 'linear-bt'],
    ['ae-neural', 'neural-bt'],
  ])('%s fits a %s model in reward units and selects on it', async (strategy, kind) => {
    const emb = embeddings(6);
    const seeded = await seedCampaign(app.db, {
      ownerId: researcher.id,
      prompts: 15,
      responsesPerPrompt: 3,
      embedding: emb,
      strategy,
      bufferSize: 6,
      batchSize: 3,
      modelOptions: { neural: { members: 2, hiddenUnits: [8], epochs: 5, updateEpochs: 1 } },
    });
    const { campaignId } = seeded;
    await seedJudgments(app.db, seeded, { labelerId: labeler.id, count: 40, utility: (p, r) => 3 * emb(p, r)[0] });
    await chain.fitNow(campaignId);
    await completedRuns(campaignId, 'PolicyFit');
    const { rows } = await app.db.query(
      'SELECT id, kind, certificate, metrics FROM model_versions WHERE campaign_id = $1',
      [campaignId],
    );
    expect(rows[0].kind).toBe(kind);
    expect(rows[0].certificate.units).toBe('reward');
    if (kind === 'neural-bt') expect(typeof rows[0].metrics.tensorflowBackend).toBe('string');
    await waitFor(
      async () => {
        const open = await openComparisons(campaignId);
        return open.length === 6 && open.every((c) => c.model_version_id === rows[0].id);
      },
      30_000,
      `a ${strategy} refill on the fitted model`,
    );
  });
});
