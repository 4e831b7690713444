/**
 * The acceptance test of issue 10 ("What must be true"): a simulated crowd labels a campaign through
 * the HTTP API (lease → submit, sides as the service randomises them) while the workers fit on the real
 * queue. Honest labelers draw Bradley–Terry judgments from the known utility; random ones flip a coin;
 * position-biased ones mostly answer A (left); inverted ones draw Bradley–Terry judgments backwards.
 * At every fit the reliability model rates each labeler; with autoPauseFlagged the fit pauses the
 * flagged ones. Every random and inverted labeler must be flagged by a fit that saw at most 60 of their
 * labels, and no honest labeler may ever be flagged.
 */
import { Rng } from '@borda/numeric';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser, waitFor } from './support/harness';
import { responseExternalIds, type SyntheticProblem } from './support/synthetic';

type Behaviour = 'honest' | 'random' | 'left' | 'inverted';
const CROWD: Behaviour[] = [
  ...Array<Behaviour>(10).fill('honest'),
  'random',
  'random',
  'inverted',
  'inverted',
  'left',
  'left',
];
/** Labels per labeler; the requirement is about the first 60. */
const PER_LABELER = 60;
const RETRAIN_EVERY = 24;

/**
 * Supplied embeddings with a linear true utility u = w·x(response) (‖w‖ = scale): the reward model can
 * learn it from few labels, as on real embeddings. With scale 3 an honest Bradley–Terry labeler
 * agrees with the better response ~88 % of the time, as the honest labelers did.
 */
function linearProblem(
  seed: number,
  prompts: number,
  responses: number,
  width: number,
  scale: number,
): SyntheticProblem {
  const rng = new Rng(seed);
  const vector = () => Array.from({ length: width }, () => rng.normal());
  const w = vector();
  const norm = Math.hypot(...w);
  const utility = new Map<string, number>();
  const best = new Map<string, number>();
  const lines: string[] = [];
  for (let p = 0; p < prompts; p++) {
    let top = -Infinity;
    const list = [];
    for (let a = 0; a < responses; a++) {
      const embedding = vector();
      const u = (scale / norm) * embedding.reduce((sum, x, j) => sum + x * w[j], 0);
      utility.set(`p${p}-r${a}`, u);
      top = Math.max(top, u);
      list.push({ id: `p${p}-r${a}`, text: `Answer ${a} to question ${p}`, embedding });
    }
    best.set(`p${p}`, top);
    lines.push(JSON.stringify({ id: `p${p}`, prompt: `Question ${p}`, embedding: vector(), responses: list }));
  }
  return { prompts, responses, utility, best, jsonl: lines.join('\n') + '\n' };
}

describe('a synthetic crowd through the API', () => {
  let app: TestApp;
  let researcher: TestUser;
  let labelers: (TestUser & { behaviour: Behaviour })[];

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    researcher = await app.createUser('researcher');
    labelers = [];
    for (const behaviour of CROWD) labelers.push({ ...(await app.createUser('labeler')), behaviour });
  });
  afterAll(() => app?.close());

  /** Waits until a fit saw `labels` judgments and no job of the campaign is queued or running. */
  async function settle(campaignId: string, labels: number) {
    await waitFor(
      async () => {
        const { rows } = await app.db.query<{ fitted: number | null; busy: number }>(
          `SELECT (SELECT max(label_count) FROM model_versions WHERE campaign_id = $1) AS fitted,
                  (SELECT count(*)::int FROM job_runs WHERE campaign_id = $1 AND state IN ('queued', 'active')) AS busy`,
          [campaignId],
        );
        return (rows[0].fitted ?? 0) >= labels && rows[0].busy === 0 ? true : null;
      },
      60_000,
      `a fit on ${labels} labels`,
    );
  }

  it(
    'flags every random and inverted labeler within 60 of their labels and no honest one',
    { timeout: 300_000 },
    async () => {
      const seed = 3;
      const width = 6;
      const problem = linearProblem(seed, 30, 5, width, 3);
      const created = await app.post(
        '/campaigns',
        {
          name: 'synthetic crowd',
          strategy: 'uniform',
          model: 'linear-bt',
          budget: CROWD.length * PER_LABELER + 200,
          retrainEvery: RETRAIN_EVERY,
          batchSize: 8,
          bufferSize: 24,
          featureSource: 'embedding',
          featureDim: width,
          seed,
          autoPauseFlagged: true,
          // Adaptive redundancy is opt-in: this crowd exercises it.
          extraJudgmentCap: 2,
          labelerIds: labelers.map((l) => l.id),
        },
        researcher.token,
      );
      expect(created.status, created.text).toBe(201);
      expect(created.body.minLabelerAccuracy).toBe(0.8);
      const id: string = created.body.id;
      const imported = await app.request('POST', `/campaigns/${id}/imports`, {
        token: researcher.token,
        body: problem.jsonl,
      });
      expect(imported.status, imported.text).toBe(201);
      expect((await app.post(`/campaigns/${id}/start`, {}, researcher.token)).status).toBe(200);

      const externalIds = await responseExternalIds(app, id);
      const u = (responseId: string) => problem.utility.get(externalIds.get(responseId)!)!;
      const rng = new Rng(seed);
      const given = new Map(labelers.map((l) => [l.id, 0]));
      const pausedAt = new Map<string, number>();
      let stored = 0;
      const deadline = Date.now() + 200_000;
      for (let turn = 0; ; turn++) {
        const active = labelers.filter((l) => given.get(l.id)! < PER_LABELER && !pausedAt.has(l.id));
        if (active.length === 0) break;
        if (Date.now() > deadline) throw new Error(`labeling did not finish (${stored} stored)`);
        const labeler = active[turn % active.length];
        const next = await app.post(`/campaigns/${id}/next`, {}, labeler.token);
        if (next.status === 409 && next.body.details?.reason === 'LABELER_PAUSED') {
          pausedAt.set(labeler.id, given.get(labeler.id)!);
          continue;
        }
        expect(next.status, next.text).toBe(200);
        if (next.body.assignment === null) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        const { left, right } = next.body.assignment;
        const pLeft = 1 / (1 + Math.exp(-(u(left.id) - u(right.id))));
        const saysLeft = {
          honest: () => rng.next() < pLeft,
          random: () => rng.next() < 0.5,
          left: () => rng.next() < 0.9 || rng.next() < pLeft,
          inverted: () => rng.next() >= pLeft,
        }[labeler.behaviour]();
        const submit = await app.post(
          `/assignments/${next.body.assignment.id}/submit`,
          { choice: saysLeft ? 'A' : 'B', idempotencyKey: `crowd-${turn}` },
          labeler.token,
        );
        expect([200, 201], submit.text).toContain(submit.status);
        given.set(labeler.id, given.get(labeler.id)! + 1);
        stored++;
        if (stored % RETRAIN_EVERY === 0) await settle(id, stored);
      }
      // A last fit on everything (the cadence may not have reached it).
      expect((await app.post(`/campaigns/${id}/retrain`, {}, researcher.token)).status).toBeLessThan(300);
      await settle(id, stored);

      // Per labeler: the fewest of their labels a fit had seen when it first flagged them.
      const { rows } = await app.db.query<{
        labeler_id: string;
        judgments: number;
        flagged: boolean;
        reasons: unknown;
      }>(
        `SELECT r.labeler_id, r.judgments, r.flagged, r.reasons FROM labeler_reliability r
         WHERE r.campaign_id = $1 ORDER BY r.judgments`,
        [id],
      );
      expect(rows.length).toBeGreaterThan(CROWD.length * 5);
      const firstFlag = new Map<string, number>();
      for (const r of rows) if (r.flagged && !firstFlag.has(r.labeler_id)) firstFlag.set(r.labeler_id, r.judgments);
      const summary = labelers.map((l) => `${l.behaviour}:${firstFlag.get(l.id) ?? '-'}`).join(' ');
      console.log(`first flagged at (labels seen): ${summary}; stored ${stored}`);
      for (const l of labelers) {
        if (l.behaviour === 'honest') expect(firstFlag.has(l.id), `honest labeler flagged: ${summary}`).toBe(false);
        if (l.behaviour === 'random' || l.behaviour === 'inverted') {
          expect(firstFlag.get(l.id), `${l.behaviour} labeler: ${summary}`).toBeLessThanOrEqual(PER_LABELER);
        }
      }

      // The fit acted: the flagged labelers were paused (audit-logged), honest ones never.
      const audit = await app.db.query<{ labeler: string }>(
        `SELECT details->>'labelerId' AS labeler FROM audit_log WHERE campaign_id = $1 AND action = 'crowd.labeler_auto_pause'`,
        [id],
      );
      const pausedByFit = new Set(audit.rows.map((r) => r.labeler));
      for (const l of labelers) {
        if (l.behaviour === 'random' || l.behaviour === 'inverted') expect(pausedByFit.has(l.id)).toBe(true);
        if (l.behaviour === 'honest') expect(pausedByFit.has(l.id)).toBe(false);
      }

      // The researcher sees the estimates and the evidence.
      const view = await app.get(`/campaigns/${id}/crowd/labelers`, researcher.token);
      const accuracy = new Map<string, number>();
      expect(view.status, view.text).toBe(200);
      for (const row of view.body as { labelerId: string; reliability: any; paused: boolean }[]) {
        const l = labelers.find((x) => x.id === row.labelerId)!;
        const r = row.reliability;
        console.log(
          `${l.behaviour}: n=${r.judgments} accuracy ${r.accuracy.estimate.toFixed(2)} [${r.accuracy.low.toFixed(2)}, ${r.accuracy.high.toFixed(2)}] ` +
            `inverted ${r.inverted.estimate.toFixed(2)} random ${r.random.estimate.toFixed(2)} bias ${r.positionBias.estimate.toFixed(2)} ` +
            `flags ${r.reasons.map((x: { kind: string }) => x.kind).join(',')}`,
        );
        expect(row.reliability, l.behaviour).not.toBeNull();
        expect(row.reliability.accuracy.low).toBeLessThanOrEqual(row.reliability.accuracy.high);
        // A labeler paused after a dozen labels may fall back under the flag line as the model moves on;
        // what stays is that the model trusts them less than any honest labeler.
        accuracy.set(l.id, r.accuracy.estimate);
        if (l.behaviour === 'random' || l.behaviour === 'inverted') expect(row.paused).toBe(true);
      }

      const of = (kinds: Behaviour[]) =>
        labelers.filter((l) => kinds.includes(l.behaviour)).map((l) => accuracy.get(l.id)!);
      expect(Math.max(...of(['random', 'inverted']))).toBeLessThan(Math.min(...of(['honest'])));
      expect(Math.min(...of(['honest']))).toBeGreaterThan(0.65);

      // The model version reports the crowd step and the honest metrics.
      const models = await app.db.query<{ metrics: any }>(
        `SELECT metrics FROM model_versions WHERE campaign_id = $1 ORDER BY version DESC LIMIT 1`,
        [id],
      );
      const crowd = models.rows[0].metrics.crowd;
      expect(crowd.status).toBe('fitted');
      expect(crowd.consensus.count).toBeGreaterThan(0);
      // Both targets are reported; against the reliability-weighted consensus the model does at least about as
      // well as against the raw labels (a third of the crowd answers at random or backwards). How much better
      // depends on how early the bad labelers were paused: with few of their labels the two nearly coincide.
      expect(crowd.rawLabels.accuracy).toBeGreaterThan(0.5);
      expect(crowd.consensus.accuracy).toBeGreaterThan(crowd.rawLabels.accuracy - 0.02);

      // Exports carry each label's weight and sign; an inverted labeler's labels count for less than an
      // honest one's (reversed once the evidence is strong; they were paused after a dozen labels here).
      const raw = await app.request('GET', `/campaigns/${id}/exports/raw`, { token: researcher.token });
      expect(raw.status).toBe(200);
      const lines = raw.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      for (const line of lines) {
        expect(line.weight).toBeGreaterThanOrEqual(0);
        expect(line.weight).toBeLessThanOrEqual(1);
        expect([-1, 0, 1]).toContain(line.weightSign);
      }
      const signedWeight = (behaviour: Behaviour) => {
        const ids = new Set(labelers.filter((l) => l.behaviour === behaviour).map((l) => l.id));
        const mine = lines.filter((line) => ids.has(line.labelerId));
        expect(mine.length).toBeGreaterThan(0);
        return mine.reduce((sum, line) => sum + line.weight * line.weightSign, 0) / mine.length;
      };
      expect(signedWeight('inverted')).toBeLessThan(signedWeight('honest') / 2);
      expect(signedWeight('random')).toBeLessThan(signedWeight('honest'));

      // One training pair per comparison by the reliability consensus (majority stays an option).
      const byConsensus = await app.request('GET', `/campaigns/${id}/exports/trl?aggregate=reliability`, {
        token: researcher.token,
      });
      expect(byConsensus.status, byConsensus.text).toBe(200);
      const pairs = byConsensus.text.trim().split('\n');
      const comparisons = new Set(lines.filter((l) => l.choice === 'A' || l.choice === 'B').map((l) => l.comparisonId));
      expect(pairs.length).toBeGreaterThan(comparisons.size * 0.9);
      expect(pairs.length).toBeLessThanOrEqual(comparisons.size);
      expect(Object.keys(JSON.parse(pairs[0])).sort()).toEqual(['chosen', 'prompt', 'rejected']);
    },
  );
});
