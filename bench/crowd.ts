/**
 * Crowd benchmark (issue 10 "What must be true"): the service's crowd step (apps/api/src/learning/
 * crowd-fit.ts: Dawid–Skene EM jointly with a linear Bradley–Terry model, the published model trained
 * on the posteriors) against training on every label equally, for an honest-only crowd and a mixed
 * crowd with a third bad (20 honest, 4 position-biased, 3 random, 3 inverted), at redundancy 1 and 3,
 * with and without gold, over 5 seeds (mean ± 95 % t-interval).
 *
 * The campaign: 150 prompts × 6 responses with 24-wide supplied embeddings (72 joint features) and a linear true reward
 * scaled so an honest Bradley–Terry labeler agrees with the better response 88 % of the time (the
 * issue's crowd); 1,500 judgments on uniformly drawn pairs (no active selection: the comparison is
 * about the labels, not about which pairs were asked); each judgment's side order is random.
 * Rows ablate one part each:
 *   raw            — every judgment an observation, weight 1 (what the service did before);
 *   weighted, no side — the EM without the side shown (position bias cannot be told from opinion);
 *   weighted       — the service's crowd step (reliability weights and side as a covariate);
 *   + adaptive     — the last 20 % of the budget goes to the extra judgments the crowd step asks for
 *                    (low-trust labelers, a contradicted confident model), the rest to new pairs.
 * Gold: 10 % of the comparisons carry a known answer (the service serves gold outside the budget;
 * here gold judgments are part of the 1,500). Metrics: accuracy of the reward model's preference on
 * every within-prompt pair against the true one, and the greedy policy's mean regret over prompts.
 * In-process: 10 minutes on 2 cores shared with another benchmark (2 Dec 2026).
 *
 * Measured then (accuracy against the true preferences; mixed vs honest crowd, same method):
 *   raw: mixed 0.89–0.90 vs honest 0.95–0.96 and 4–6× the regret in every cell;
 *   weighted: mixed within 0.015 of honest in every cell; regret within 1.25× at redundancy 3 and with
 *   gold at redundancy 1, about 2× (0.085 vs 0.043) without gold at redundancy 1;
 *   side as a covariate: no measurable difference here (the 90 %-left labelers are down-weighted as
 *   unreliable either way); adaptive extra judgments: no measurable gain at this budget;
 *   one soft posterior per comparison costs the honest crowd ~0.015 accuracy at redundancy 3 against raw.
 */
import Table from 'cli-table3';
import { type FeatureMatrix, Rng, meanConfidence95, sigmoid } from '@borda/numeric';
import { LinearBradleyTerry, type PairObservation, jointFeatures, scaleForAgreement } from '@borda/reward-model';
import type { CampaignCandidates } from '../apps/api/src/learning/candidates';
import {
  type CrowdJudgmentRow,
  comparisonProbabilities,
  extraJudgmentRequests,
  runCrowdStep,
} from '../apps/api/src/learning/crowd-fit';

const PROMPTS = 150;
const RESPONSES = 6;
const WIDTH = 24;
const BUDGET = 1500;
const SEEDS = [1, 2, 3, 4, 5];
const GOLD_SHARE = 0.1;
const ADAPTIVE_SHARE = 0.2;

type Behaviour = 'honest' | 'left' | 'random' | 'inverted';
const CROWDS: Record<string, Behaviour[]> = {
  honest: Array<Behaviour>(30).fill('honest'),
  mixed: [
    ...Array<Behaviour>(20).fill('honest'),
    ...Array<Behaviour>(4).fill('left'),
    ...Array<Behaviour>(3).fill('random'),
    ...Array<Behaviour>(3).fill('inverted'),
  ],
};
const METHODS = ['raw', 'weighted, no side', 'weighted', '+ adaptive'] as const;
type Method = (typeof METHODS)[number];

interface Problem {
  readonly features: FeatureMatrix;
  readonly offsets: Int32Array;
  readonly utility: Float64Array;
  readonly candidates: CampaignCandidates;
}

function makeProblem(rng: Rng): Problem {
  const vector = () => Array.from({ length: WIDTH }, () => rng.normal());
  const w = vector();
  const norm = Math.hypot(...w);
  // r(first) − r(second) ~ N(0, 2·scale²): its std is what gives honest labelers 88 % agreement.
  const scale = scaleForAgreement(0.88) / Math.SQRT2;
  const prompts = Array.from({ length: PROMPTS }, vector);
  const responses = prompts.map(() => Array.from({ length: RESPONSES }, vector));
  const joint = jointFeatures(prompts, responses);
  const utility = new Float64Array(PROMPTS * RESPONSES);
  responses.flat().forEach((r, row) => (utility[row] = (scale / norm) * r.reduce((s, x, j) => s + x * w[j], 0)));
  const rowOfResponse = new Map(Array.from(utility, (_, row) => [`r${row}`, row]));
  const candidates = {
    features: joint.features,
    offsets: joint.offsets,
    rowOfResponse,
  } as unknown as CampaignCandidates;
  return { features: joint.features, offsets: joint.offsets, utility, candidates };
}

/** Labels for comparisons: each judged by distinct labelers, the side order drawn per judgment. */
class Labeling {
  readonly rows: CrowdJudgmentRow[] = [];
  private comparisons = 0;
  constructor(
    private readonly problem: Problem,
    private readonly crowd: readonly Behaviour[],
    private readonly gold: boolean,
    private readonly rng: Rng,
  ) {}

  newComparison(): { id: string; first: number; second: number; gold: boolean | null } {
    const p = Math.floor(this.rng.next() * PROMPTS);
    const a = Math.floor(this.rng.next() * RESPONSES);
    let b = Math.floor(this.rng.next() * (RESPONSES - 1));
    if (b >= a) b++;
    const first = p * RESPONSES + a;
    const second = p * RESPONSES + b;
    const isGold = this.gold && this.rng.next() < GOLD_SHARE;
    const u = this.problem.utility;
    return { id: `c${this.comparisons++}`, first, second, gold: isGold ? u[first] > u[second] : null };
  }

  judge(c: { id: string; first: number; second: number; gold: boolean | null }, labeler: number): void {
    const u = this.problem.utility;
    const behaviour = this.crowd[labeler];
    const firstOnLeft = this.rng.next() < 0.5;
    const honestFirst = this.rng.next() < sigmoid(u[c.first] - u[c.second]);
    let saysFirst: boolean;
    if (behaviour === 'honest') saysFirst = honestFirst;
    else if (behaviour === 'inverted') saysFirst = !honestFirst;
    else if (behaviour === 'random') saysFirst = this.rng.next() < 0.5;
    else saysFirst = this.rng.next() < 0.9 ? firstOnLeft : honestFirst;
    this.rows.push({
      labelId: `l${this.rows.length}`,
      comparisonId: c.id,
      labelerId: `labeler-${labeler}`,
      firstResponseId: `r${c.first}`,
      secondResponseId: `r${c.second}`,
      choice: saysFirst === firstOnLeft ? 'A' : 'B',
      firstOnLeft,
      outcome: saysFirst ? 1 : 0,
      goldFirst: c.gold,
    });
  }

  /** `count` distinct random labelers (excluding those given). */
  labelers(count: number, exclude: ReadonlySet<number> = new Set()): number[] {
    const pool = this.crowd.map((_, i) => i).filter((i) => !exclude.has(i));
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng.next() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, count);
  }

  judgeNew(judgments: number, redundancy: number): void {
    for (let spent = 0; spent + redundancy <= judgments; spent += redundancy) {
      const c = this.newComparison();
      this.pending.set(c.id, c);
      for (const l of this.labelers(redundancy)) this.judge(c, l);
    }
  }

  readonly pending = new Map<string, { id: string; first: number; second: number; gold: boolean | null }>();
}

function observationsOf(problem: Problem, rows: readonly CrowdJudgmentRow[]): PairObservation[] {
  const { cols, data } = problem.features;
  const row = (id: string) => Number(id.slice(1));
  const view = (r: number) => data.subarray(r * cols, (r + 1) * cols);
  return rows.map((j) => ({
    first: view(row(j.firstResponseId)),
    second: view(row(j.secondResponseId)),
    outcome: j.outcome!,
  }));
}

async function publish(problem: Problem, rows: readonly CrowdJudgmentRow[], method: Method) {
  const model = new LinearBradleyTerry({ dimension: problem.features.cols });
  if (method === 'raw') {
    model.fit(observationsOf(problem, rows));
    return { model, step: null };
  }
  // Without the side, every judgment reads as if the first response had been on the left.
  const judgments =
    method === 'weighted, no side'
      ? rows.map((r) => ({ ...r, firstOnLeft: true, choice: r.outcome === 1 ? ('A' as const) : ('B' as const) }))
      : rows;
  const step = await runCrowdStep({
    judgments,
    candidates: problem.candidates,
    previousState: null,
    createLearner: async () => new LinearBradleyTerry({ dimension: problem.features.cols }),
    settings: { minLabelerAccuracy: 0.8 },
  });
  model.fit(step.observations ?? observationsOf(problem, rows));
  return { model, step };
}

function score(problem: Problem, model: LinearBradleyTerry): { accuracy: number; regret: number } {
  const predicted = model.predictMean(problem.features);
  const u = problem.utility;
  let agree = 0;
  let pairs = 0;
  let regret = 0;
  for (let p = 0; p < PROMPTS; p++) {
    const start = problem.offsets[p];
    const end = problem.offsets[p + 1];
    let best = start;
    let pick = start;
    for (let a = start; a < end; a++) {
      if (u[a] > u[best]) best = a;
      if (predicted[a] > predicted[pick]) pick = a;
      for (let b = a + 1; b < end; b++) {
        pairs++;
        if (predicted[a] - predicted[b] > 0 === u[a] - u[b] > 0) agree++;
      }
    }
    regret += u[best] - u[pick];
  }
  return { accuracy: agree / pairs, regret: regret / PROMPTS };
}

async function runCell(seed: number, crowd: Behaviour[], redundancy: number, gold: boolean, method: Method) {
  const rng = new Rng(seed);
  const problem = makeProblem(rng.fork(1));
  const labeling = new Labeling(problem, crowd, gold, rng.fork(2));
  if (method !== '+ adaptive') {
    labeling.judgeNew(BUDGET, redundancy);
    return score(problem, (await publish(problem, labeling.rows, method)).model);
  }
  labeling.judgeNew(Math.round(BUDGET * (1 - ADAPTIVE_SHARE)), redundancy);
  const first = await publish(problem, labeling.rows, 'weighted');
  const probabilities = comparisonProbabilities(first.model, true, problem.candidates, labeling.rows, []);
  let left = BUDGET - labeling.rows.length;
  for (const request of first.step ? extraJudgmentRequests(first.step, labeling.rows, probabilities) : []) {
    if (left <= 0) break;
    const c = labeling.pending.get(request.comparisonId)!;
    const judged = new Set(
      labeling.rows.filter((r) => r.comparisonId === c.id).map((r) => Number(r.labelerId.split('-')[1])),
    );
    const [l] = labeling.labelers(1, judged);
    if (l === undefined) continue;
    labeling.judge(c, l);
    left--;
  }
  labeling.judgeNew(left, redundancy);
  return score(problem, (await publish(problem, labeling.rows, 'weighted')).model);
}

const fmt = (i: { mean: number; halfWidth: number }) => `${i.mean.toFixed(3)} ± ${i.halfWidth.toFixed(3)}`;

export async function run(): Promise<void> {
  const started = Date.now();
  const results = new Map<string, { accuracy: number[]; regret: number[] }>();
  for (const gold of [false, true]) {
    for (const redundancy of [1, 3]) {
      for (const [crowdName, crowd] of Object.entries(CROWDS)) {
        for (const method of METHODS) {
          const cell = { accuracy: [] as number[], regret: [] as number[] };
          for (const seed of SEEDS) {
            const r = await runCell(seed, crowd, redundancy, gold, method);
            cell.accuracy.push(r.accuracy);
            cell.regret.push(r.regret);
          }
          results.set(`${gold}|${redundancy}|${crowdName}|${method}`, cell);
        }
      }
    }
  }
  for (const gold of [false, true]) {
    const table = new Table({
      head: ['redundancy', 'method', 'honest accuracy', 'mixed accuracy', 'honest regret', 'mixed regret', 'bar'],
    });
    for (const redundancy of [1, 3]) {
      for (const method of METHODS) {
        const honest = results.get(`${gold}|${redundancy}|honest|${method}`)!;
        const mixed = results.get(`${gold}|${redundancy}|mixed|${method}`)!;
        const ha = meanConfidence95(honest.accuracy);
        const ma = meanConfidence95(mixed.accuracy);
        const hr = meanConfidence95(honest.regret);
        const mr = meanConfidence95(mixed.regret);
        // The bar: mixed accuracy within 0.05 of honest, mixed regret within 1.25× of honest.
        const bar = ha.mean - ma.mean <= 0.05 && mr.mean <= 1.25 * hr.mean ? 'met' : 'not met';
        table.push([redundancy, method, fmt(ha), fmt(ma), fmt(hr), fmt(mr), bar]);
      }
    }
    console.log(`\n${gold ? 'with' : 'without'} gold (${SEEDS.length} seeds, ${BUDGET} judgments, mean ± 95 % CI)`);
    console.log(table.toString());
  }
  console.log(`(crowd bench took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
