import { describe, expect, it } from 'vitest';
import type { PolicyEntryRow } from '../src/learning/policies';
import { policyChurn } from '../src/learning/policy-churn';

function entry(promptId: string, greedy: string, means: Record<string, number>): PolicyEntryRow {
  return {
    promptId,
    greedyResponseId: greedy,
    pessimisticResponseId: greedy,
    softResponseId: greedy,
    dpoResponseId: null,
    mean: means[greedy],
    std: 0.1,
    lcb: 0,
    ucb: 1,
    lcbMargin: 0,
    gap: 0,
    responses: Object.entries(means).map(([responseId, mean], ordinal) => ({
      responseId,
      ordinal,
      mean,
      std: 0.1,
      lcb: mean - 0.2,
      ucb: mean + 0.2,
      softProbability: 0.5,
      dpoProbability: null,
    })),
  };
}

describe('policyChurn', () => {
  it('is null for the first policy', () => {
    expect(policyChurn(null, [entry('p', 'a', { a: 1, b: 0 })], 'reward')).toBeNull();
  });

  it('counts changed picks among prompts both versions cover and prices them with the new model', () => {
    const previous = {
      version: 4,
      picks: new Map([
        ['p1', 'a'],
        ['p2', 'c'],
        ['p3', 'e'],
      ]),
    };
    const entries = [
      entry('p1', 'b', { a: 0.2, b: 0.5 }), // changed: gain 0.3
      entry('p2', 'c', { c: 0.9, d: 0.1 }), // kept
      entry('p3', 'f', { e: 0.4, f: 0.5 }), // changed: gain 0.1
      entry('p4', 'g', { g: 1, h: 0 }), // new prompt: not compared
    ];
    const churn = policyChurn(previous, entries, 'borda')!;
    expect(churn).toMatchObject({ previousVersion: 4, comparedPrompts: 3, changedPrompts: 2, units: 'borda' });
    expect(churn.changedShare).toBeCloseTo(2 / 3, 12);
    expect(churn.estimatedGain).toBeCloseTo(0.4 / 3, 12);
    expect(churn.meanGainWhereChanged).toBeCloseTo(0.2, 12);
  });
});
