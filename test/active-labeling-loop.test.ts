/**
 * Cross-package: the path a real campaign takes, without the service around it. Text prompts and
 * responses go through the featuriser, a low-rank Borda model learns from simulated Bradley–Terry
 * labelers on AE-Borda batches, the model is serialised and restored between rounds (as model
 * versions will be), and the output policy and the certificate improve.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng, row, sigmoid } from '@borda/numeric';
import { LowRankBorda, TextFeaturiser, bordaScores, loadModel, type SerializedModel } from '@borda/reward-model';
import { createStrategy, greedyPolicy, policyResponses, worstCaseGapCertificate } from '@borda/dueling-bandit';
import { parsePromptJsonl } from '@borda/simulator';

const jsonl = readFileSync(join(__dirname, '../libs/simulator/examples/prompts.jsonl'), 'utf8');

function worstGap(rewards: number[], offsets: Int32Array, policy: Int32Array): number {
  let worst = 0;
  for (let p = 0; p + 1 < offsets.length; p++) {
    const slice = rewards.slice(offsets[p], offsets[p + 1]);
    worst = Math.max(worst, Math.max(...slice) - slice[policy[p]]);
  }
  return worst;
}

describe('active labeling loop across the libraries', () => {
  const records = parsePromptJsonl(jsonl);
  const featuriser = new TextFeaturiser({ dimension: 32, seed: 7 });
  const candidates = featuriser.candidates(
    records.map((r) => r.prompt),
    records.map((r) => r.responses),
  );
  const rewards = records.flatMap((r) => r.rewards ?? []);

  it('featurises every (prompt, response) pair into one candidate matrix', () => {
    expect(candidates.offsets.length).toBe(records.length + 1);
    expect(candidates.features.rows).toBe(rewards.length);
    expect(candidates.features.cols).toBe(featuriser.jointDimension);
  });

  it('learns the best responses from AE-Borda batches, surviving a save/restore every round', () => {
    const rng = new Rng(2026);
    const strategy = createStrategy('ae-borda', { beta: 2, modelKind: 'low-rank-borda' });
    let model = new LowRankBorda({ dimension: candidates.features.cols, priorVariance: 1 });
    const initialCertificate = worstCaseGapCertificate(model, candidates).worstCaseGap;
    const initialGap = worstGap(rewards, candidates.offsets, policyResponses(greedyPolicy(model, candidates)));
    for (let round = 0; round < 25; round++) {
      const queries = strategy.select({ candidates, model, batchSize: 8, rng });
      expect(new Set(queries.map((q) => q.prompt)).size).toBeGreaterThan(4);
      const labels = queries.map((q) => {
        const a = candidates.offsets[q.prompt] + q.first;
        const b = candidates.offsets[q.prompt] + q.second;
        return {
          first: row(candidates.features, a),
          second: row(candidates.features, b),
          outcome: rng.bernoulli(sigmoid(rewards[a] - rewards[b])),
        };
      });
      model.update(labels);
      // As the campaign service will: persist the version, reload it for the next selection.
      const restored = loadModel(JSON.parse(JSON.stringify(model.toJSON())) as SerializedModel);
      expect(restored).toBeInstanceOf(LowRankBorda);
      model = restored as LowRankBorda;
    }
    expect(model.observationCount).toBe(200);
    const policy = policyResponses(greedyPolicy(model, candidates));
    const finalGap = worstGap(rewards, candidates.offsets, policy);
    expect(finalGap).toBeLessThan(initialGap);
    // Most prompts end on their best response, as ranked by the true Borda score.
    const truth = bordaScores(rewards, candidates.offsets);
    let best = 0;
    for (let p = 0; p < records.length; p++) {
      const start = candidates.offsets[p];
      const end = candidates.offsets[p + 1];
      const top = truth.slice(start, end).indexOf(Math.max(...truth.slice(start, end)));
      if (policy[p] === top) best++;
    }
    expect(best).toBeGreaterThanOrEqual(Math.ceil(records.length * 0.6));
    expect(worstCaseGapCertificate(model, candidates).worstCaseGap).toBeLessThan(initialCertificate);
  });
});
