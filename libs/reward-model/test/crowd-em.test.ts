import { describe, expect, it } from 'vitest';
import { Rng, sigmoid } from '@borda/numeric';
import { LinearBradleyTerry, type PairObservation } from '@borda/reward-model';
import { type CrowdJudgment, indexCrowd } from '../src/crowd/crowd-data';
import { expectationStep, labelerCounts } from '../src/crowd/crowd-em';
import {
  CrowdReliability,
  type CrowdRewardLearner,
  bradleyTerryLearner,
  crowdMetrics,
  flagLabelers,
  predictionMetrics,
  simulateCrowd,
  type SimulatedBehaviour,
} from '../src/crowd';

const zero = [0];
/** Three comparisons, two labelers, one gold question (features unused by the fixed learner below). */
const tinyComparisons = [
  { id: 'c0', first: zero, second: zero },
  { id: 'c1', first: zero, second: zero },
  { id: 'c2', first: zero, second: zero },
];
const tinyJudgments: CrowdJudgment[] = [
  { comparison: 'c0', labeler: 'L1', shownLeft: 'first', choice: 'left' }, // says first
  { comparison: 'c0', labeler: 'L2', shownLeft: 'second', choice: 'left' }, // says second
  { comparison: 'c1', labeler: 'L1', shownLeft: 'second', choice: 'right' }, // says first
  { comparison: 'c2', labeler: 'L2', shownLeft: 'first', choice: 'left', gold: 'second' }, // misses gold
  { comparison: 'c2', labeler: 'L1', shownLeft: 'first', choice: 'tie', gold: 'second' },
];
const fixedLogOdds = Float64Array.from([0, Math.log(2), -1]);

/** A reward model that ignores its data: fixed log-odds, records what it was fitted on. */
function fixedLearner(logOdds: Float64Array): CrowdRewardLearner & { fits: PairObservation[][] } {
  const fits: PairObservation[][] = [];
  return { fits, fit: (o) => void fits.push(o.slice()), logOdds: () => logOdds.slice() };
}

describe('crowd EM: one E-step and M-step by hand', () => {
  const data = indexCrowd(tinyComparisons, tinyJudgments);
  // L1 = labeler index 0, L2 = 1 (first appearance order).
  const confusions = [
    { a: 0.9, b: 0.2 },
    { a: 0.6, b: 0.4 },
  ];

  it('E-step posteriors and the marginal log-likelihood', () => {
    const { posterior, logLikelihood } = expectationStep(data, confusions, fixedLogOdds);
    // c0: prior ½; L1 said left with first on the left: 0.9 vs 0.2; L2 said left with first on the
    // right: P(left | first better) = b₂ = 0.4 vs a₂ = 0.6. Likelihoods 0.36 vs 0.12 → 0.75.
    expect(posterior[0]).toBeCloseTo(0.75, 14);
    // c1: prior 2/3; L1 said right with first on the right: 1 − b₁ = 0.8 vs 1 − a₁ = 0.1 → 16/17.
    expect(posterior[1]).toBeCloseTo(16 / 17, 14);
    // c2: gold says second; the tie carries nothing.
    expect(posterior[2]).toBe(0);
    const expected =
      Math.log(0.5 * 0.36 + 0.5 * 0.12) + Math.log((2 / 3) * 0.8 + (1 / 3) * 0.1) + Math.log(sigmoid(1) * 0.4);
    expect(logLikelihood).toBeCloseTo(expected, 12);
  });

  it('M-step soft counts and Beta-mode confusions', () => {
    const { posterior } = expectationStep(data, confusions, fixedLogOdds);
    const [l1, l2] = labelerCounts(data, posterior);
    // L1: c0 (left better w.p. 0.75, said left), c1 (left better w.p. 1/17, said right).
    expect(l1.leftBetter).toBeCloseTo(0.75 + 1 / 17, 14);
    expect(l1.saidLeftWhenLeftBetter).toBeCloseTo(0.75, 14);
    expect(l1.rightBetter).toBeCloseTo(0.25 + 16 / 17, 14);
    expect(l1.saidLeftWhenRightBetter).toBeCloseTo(0.25, 14);
    // L2: c0 (left better w.p. 0.25, said left), c2 (right better for sure, said left).
    expect(l2).toEqual({
      leftBetter: expect.closeTo(0.25, 14),
      saidLeftWhenLeftBetter: expect.closeTo(0.25, 14),
      rightBetter: expect.closeTo(1.75, 14),
      saidLeftWhenRightBetter: expect.closeTo(1.75, 14),
    });
  });

  it('runCrowdEm: the model is fitted on the consensus, then on the E-step posteriors', () => {
    const learner = fixedLearner(fixedLogOdds);
    const model = new CrowdReliability({ priorAccuracy: 0.8, priorStrength: 4, maxIterations: 1 });
    const fit = model.fit({ comparisons: tinyComparisons, judgments: tinyJudgments, learner });
    // Start at the prior mode (a, b) = (0.8, 0.2) for both labelers. Flat-prior consensus on c0:
    // L1 evidence log 4, L2 evidence −log 4 → ½; c1: log 4 toward first → 0.8; c2: gold.
    expect(learner.fits[0].map((o) => o.outcome)).toEqual([expect.closeTo(0.5, 14), expect.closeTo(0.8, 14), 0]);
    // Iteration 1 fits on the E-step under the model prior and the prior confusions: c1 → σ(log 2 + log 4).
    expect(learner.fits[1].map((o) => o.outcome)).toEqual([expect.closeTo(0.5, 14), expect.closeTo(8 / 9, 14), 0]);
    // After that iteration L2's confusion is the Beta mode of its counts under these posteriors.
    const c2 = model.confusion('L2');
    expect(c2.a).toBeCloseTo((3.2 + 0.5) / (4 + 0.5), 12);
    expect(c2.b).toBeCloseTo((0.8 + 1.5) / (4 + 1.5), 12);
    expect(fit.iterations).toBe(1);
  });
});

function crowd(seed: number, redundancy: number, extra: SimulatedBehaviour[] = []) {
  const behaviours: SimulatedBehaviour[] = [
    ...Array<SimulatedBehaviour>(20).fill('honest'),
    ...Array<SimulatedBehaviour>(4).fill('position-biased'),
    ...Array<SimulatedBehaviour>(3).fill('random'),
    ...Array<SimulatedBehaviour>(3).fill('inverted'),
    ...extra,
  ];
  return simulateCrowd({ behaviours, judgmentsPerLabeler: 60, redundancy, dimension: 8 }, new Rng(seed));
}

function fitCrowd(simulated: ReturnType<typeof crowd>, reliability = new CrowdReliability()) {
  const learner = bradleyTerryLearner(new LinearBradleyTerry({ dimension: 8 }));
  const fit = reliability.fit({ comparisons: simulated.comparisons, judgments: simulated.judgments, learner });
  const behaviourOf = new Map(simulated.labelers.map((l) => [l.id, l.behaviour]));
  return { fit, reliability, behaviourOf };
}

describe('crowd EM on simulated crowds', () => {
  it('the objective never decreases and the EM converges', () => {
    for (const [seed, redundancy] of [
      [1, 1],
      [2, 3],
    ]) {
      const { fit } = fitCrowd(crowd(seed, redundancy));
      expect(fit.converged).toBe(true);
      const h = fit.objectiveHistory;
      for (let i = 1; i < h.length; i++) expect(h[i] - h[i - 1]).toBeGreaterThanOrEqual(-1e-9 * Math.abs(h[i]));
      expect(h[h.length - 1]).toBeGreaterThan(h[0]);
    }
  });

  it('recovers the planted behaviours', () => {
    const { fit, behaviourOf } = fitCrowd(crowd(3, 3));
    for (const l of fit.labelers) {
      const behaviour = behaviourOf.get(l.labeler);
      if (behaviour === 'honest') {
        expect(l.accuracy.estimate).toBeGreaterThan(0.75);
        expect(Math.abs(l.positionBias.estimate)).toBeLessThan(0.15);
      } else if (behaviour === 'inverted') {
        expect(l.accuracy.high).toBeLessThan(0.5);
        expect(l.inverted.estimate).toBeGreaterThan(0.4);
      } else if (behaviour === 'random') {
        expect(l.accuracy.estimate).toBeGreaterThan(0.3);
        expect(l.accuracy.estimate).toBeLessThan(0.75);
        expect(l.random.estimate).toBeGreaterThan(0.5);
      } else {
        expect(l.positionBias.low).toBeGreaterThan(0.3);
        expect(l.saidLeft).toBe(1);
      }
    }
    // An inverted labeler's judgments count reversed, a random one's barely count.
    const weights = (b: SimulatedBehaviour) => fit.judgments.filter((j) => behaviourOf.get(j.labeler) === b);
    expect(weights('inverted').every((j) => j.sign === -1)).toBe(true);
    const meanWeight = (b: SimulatedBehaviour) => weights(b).reduce((s, j) => s + j.weight, 0) / weights(b).length;
    expect(meanWeight('honest')).toBeGreaterThan(0.6);
    expect(meanWeight('random')).toBeLessThan(0.35);
  });

  it('de-biases a labeler who picks left 80 % of the time', () => {
    // Left with probability 0.6 regardless, honest otherwise: P(left) = 0.6 + 0.4·½ = 0.8.
    const behaviours: SimulatedBehaviour[] = [...Array<SimulatedBehaviour>(29).fill('honest'), 'position-biased'];
    const simulated = simulateCrowd(
      { behaviours, judgmentsPerLabeler: 60, redundancy: 3, dimension: 8, positionBiasRate: 0.6 },
      new Rng(11),
    );
    const { fit } = fitCrowd(simulated);
    const biased = fit.labelers.find((l) => l.labeler === 'labeler-29')!;
    expect(biased.saidLeft).toBeGreaterThan(0.7);
    expect(biased.positionBias.low).toBeLessThan(0.3);
    expect(biased.positionBias.high).toBeGreaterThan(0.3);
    expect(biased.accuracy.estimate).toBeGreaterThan(0.75); // their non-positional answers are honest
    // Each judgment alone, flat prior: P(left truly better | answer). De-biased labels average ½, not 0.8.
    const own = fit.judgments.filter((j) => j.labeler === 'labeler-29');
    const shownLeft = new Map(
      simulated.judgments.filter((j) => j.labeler === 'labeler-29').map((j) => [j.comparison, j.shownLeft]),
    );
    const leftBetter = own.map((j) => {
      const firstBetter = sigmoid(j.evidence);
      return shownLeft.get(j.comparison) === 'first' ? firstBetter : 1 - firstBetter;
    });
    const mean = leftBetter.reduce((s, v) => s + v, 0) / leftBetter.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.08);
    // A "right" answer (against their bias) is strong evidence, a "left" one weak.
    const evidence = (choice: string) => own.filter((j) => j.choice === choice).map((j) => Math.abs(j.evidence));
    expect(Math.min(...evidence('right'))).toBeGreaterThan(3 * Math.max(...evidence('left')));
  });

  it('a labeler with three judgments stays near the honest prior, even if all three miss gold', () => {
    const simulated = crowd(4, 1);
    const judgments: CrowdJudgment[] = [...simulated.judgments];
    for (let i = 0; i < 3; i++) {
      const comparison = `new-${i}`;
      simulated.comparisons.push({
        id: comparison,
        first: simulated.comparisons[i].first,
        second: simulated.comparisons[i].second,
      });
      judgments.push({ comparison, labeler: 'newcomer', shownLeft: 'first', choice: 'right', gold: 'first' });
    }
    const { fit } = fitCrowd({ ...simulated, judgments });
    const newcomer = fit.labelers.find((l) => l.labeler === 'newcomer')!;
    expect(newcomer.gold).toMatchObject({ successes: 0, trials: 3 });
    expect(newcomer.accuracy.estimate).toBeGreaterThan(0.55);
    expect(newcomer.accuracy.high).toBeGreaterThan(0.8);
    expect(flagLabelers([newcomer])[0].flagged).toBe(false);
  });

  it('is deterministic whatever ran before, and the state round-trips through JSON', () => {
    const simulated = crowd(5, 3);
    const first = fitCrowd(simulated);
    new Rng(99).normals(1000); // unrelated randomness in between
    const second = fitCrowd(simulated);
    expect(second.fit).toEqual(first.fit);
    const json = JSON.parse(JSON.stringify(first.reliability.toJSON()));
    const loaded = CrowdReliability.load(json);
    expect(loaded.toJSON()).toEqual(first.reliability.toJSON());
    for (const id of first.reliability.labelerIds)
      expect(loaded.confusion(id)).toEqual(first.reliability.confusion(id));
    // A stored state weighs a judgment exactly as the fit did.
    simulated.judgments.slice(0, 30).forEach((j, i) => {
      expect(loaded.weigh(j).evidence).toBeCloseTo(first.fit.judgments[i].evidence, 12);
      expect(loaded.weigh(j).sign).toBe(first.fit.judgments[i].sign);
    });
    // A warm start from the loaded state reaches the same fixed point.
    const warm = loaded.fit({
      comparisons: simulated.comparisons,
      judgments: simulated.judgments,
      learner: bradleyTerryLearner(new LinearBradleyTerry({ dimension: 8 })),
      start: 'current',
    });
    expect(warm.iterations).toBeLessThanOrEqual(first.fit.iterations);
    warm.labelers.forEach((l, i) =>
      expect(l.accuracy.estimate).toBeCloseTo(first.fit.labelers[i].accuracy.estimate, 3),
    );
    expect(() => CrowdReliability.load({ ...json, kind: 'other' })).toThrow(RangeError);
  });

  it('reports majority and reliability-weighted consensus per comparison', () => {
    const simulated = crowd(6, 3);
    const { fit, behaviourOf } = fitCrowd(simulated);
    const truth = new Map(
      simulated.comparisons.map((c) => {
        let margin = 0;
        for (let j = 0; j < 8; j++) margin += simulated.trueTheta[j] * (c.first[j] - c.second[j]);
        return [c.id, margin > 0];
      }),
    );
    let majorityRight = 0;
    let consensusRight = 0;
    for (const c of fit.comparisons) {
      expect(c.directional).toBe(3);
      if (c.majority! > 0.5 === truth.get(c.id)) majorityRight++;
      if (c.consensus! > 0.5 === truth.get(c.id)) consensusRight++;
    }
    expect(consensusRight).toBeGreaterThan(majorityRight);
    expect(behaviourOf.size).toBe(30);
  });
});

describe('crowd metrics', () => {
  it('predictionMetrics against hand values (hard and soft targets)', () => {
    const m = predictionMetrics([0.9, 0.2, 0.6, 0.5], [1, 0, 0, 1], { bins: 2 });
    expect(m.count).toBe(4);
    expect(m.accuracy).toBeCloseTo((1 + 1 + 0 + 0.5) / 4, 14);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.5)) / 4, 14);
    expect(m.brier).toBeCloseTo((0.01 + 0.04 + 0.36 + 0.25) / 4, 14);
    // Bins [0, ½): {0.2 → 0}; [½, 1]: {0.9 → 1, 0.6 → 0, 0.5 → 1}.
    expect(m.ece).toBeCloseTo((1 / 4) * 0.2 + (3 / 4) * Math.abs(2 / 3 - 2 / 3), 14);
    const soft = predictionMetrics([0.8], [0.7]);
    expect(soft.accuracy).toBeCloseTo(0.7, 14);
    expect(soft.logLoss).toBeCloseTo(-(0.7 * Math.log(0.8) + 0.3 * Math.log(0.2)), 14);
  });

  it('crowdMetrics scores raw labels, consensus and gold; the truth model does better on consensus', () => {
    const simulated = crowd(7, 3);
    const { fit } = fitCrowd(simulated);
    const trueProbability = new Map(
      simulated.comparisons.map((c) => {
        let margin = 0;
        for (let j = 0; j < 8; j++) margin += simulated.trueTheta[j] * (c.first[j] - c.second[j]);
        return [c.id, sigmoid(margin)];
      }),
    );
    const metrics = crowdMetrics(trueProbability, simulated.judgments, fit.comparisons);
    expect(metrics.rawLabels.count).toBe(simulated.judgments.length);
    expect(metrics.gold.count).toBe(fit.comparisons.filter((c) => c.gold !== null).length);
    expect(metrics.gold.accuracy).toBe(1);
    expect(metrics.consensus.accuracy).toBeGreaterThan(metrics.rawLabels.accuracy + 0.1);
    expect(() => crowdMetrics(new Map(), simulated.judgments, fit.comparisons)).toThrow(RangeError);
  });
});
