/**
 * Speed of the default learning path at campaign scale (issue targets: model choice plus fit at 10,000
 * labels on 100,000 prompts × 8 responses under 30 s; a selection batch of 256 over the same set under
 * 2 s), each beside an in-process baseline:
 * (a) AutoBradleyTerry.fit — three feature maps fitted with their hyperparameters learned, the winner by
 *     penalised evidence — against one LaplaceBradleyTerry fit on the linear map with its hyperparameters
 *     learned (the least the choice can cost);
 * (b) ae-auto's batch of 256 on the chosen model (relative gaps, exact rivals) against one predict pass
 *     over every arm (the floor any model-based selection pays).
 *
 * Standalone: `node --conditions=borda-source --import tsx bench/speed-model-choice.ts`.
 */
import Table from 'cli-table3';
import { type FeatureMatrix, Rng, sigmoid } from '@borda/numeric';
import { AutoBradleyTerry, LaplaceBradleyTerry, type PairObservation } from '@borda/reward-model';
import { AeAutoStrategy, type CandidateSet } from '@borda/dueling-bandit';

const PROMPTS = 100_000;
const RESPONSES = 8;
const DIMENSION = 32;
const LABELS = 10_000;
const BATCH = 256;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Unit-norm random rows; the reward is linear in the first coordinates plus a bump. */
function problem(): { candidates: CandidateSet; observations: PairObservation[] } {
  const rng = new Rng(17);
  const rows = PROMPTS * RESPONSES;
  const data = new Float32Array(rows * DIMENSION);
  for (let r = 0; r < rows; r++) {
    const v = rng.normals(DIMENSION);
    const norm = Math.hypot(...v);
    for (let j = 0; j < DIMENSION; j++) data[r * DIMENSION + j] = v[j] / norm;
  }
  const features: FeatureMatrix = { rows, cols: DIMENSION, data };
  const offsets = Int32Array.from({ length: PROMPTS + 1 }, (_, p) => p * RESPONSES);
  const row = (r: number) => Float64Array.from(data.subarray(r * DIMENSION, (r + 1) * DIMENSION));
  const reward = (x: Float64Array) => 3 * x[0] - 2 * x[1] + 2 * Math.exp(-((x[2] - 0.3) ** 2) / 0.02);
  const observations = Array.from({ length: LABELS }, () => {
    const p = rng.int(PROMPTS);
    const a = p * RESPONSES + rng.int(RESPONSES);
    const b = p * RESPONSES + rng.intExcluding(RESPONSES, a - p * RESPONSES);
    const first = row(a);
    const second = row(b);
    return { first, second, outcome: rng.bernoulli(sigmoid(reward(first) - reward(second))) };
  });
  return { candidates: { features, offsets }, observations };
}

export async function run(): Promise<void> {
  const built = performance.now();
  const { candidates, observations } = problem();
  console.log(
    `${PROMPTS.toLocaleString()} prompts × ${RESPONSES} responses (d = ${DIMENSION}), ${LABELS.toLocaleString()} labels: built in ${seconds(performance.now() - built)}`,
  );
  const options = { dimension: DIMENSION, seed: 3, reference: candidates.features };

  let t = performance.now();
  const single = new LaplaceBradleyTerry({ ...options, featureMap: 'linear' });
  single.fit(observations);
  const singleMs = performance.now() - t;

  t = performance.now();
  const auto = new AutoBradleyTerry(options);
  auto.fit(observations);
  const autoMs = performance.now() - t;
  const choice = auto.hyperparameters.choice;

  t = performance.now();
  auto.predict(candidates.features);
  const predictMs = performance.now() - t;

  t = performance.now();
  const batch = new AeAutoStrategy().select({ candidates, model: auto, batchSize: BATCH, rng: new Rng(1) });
  const selectMs = performance.now() - t;

  const table = new Table({ head: ['step', 'time', 'baseline', 'baseline time', 'ratio', 'target'] });
  table.push(
    [
      `model choice + fit (${choice.scores.length} maps; chose ${choice.chosen})`,
      seconds(autoMs),
      'one map, hyperparameters learned',
      seconds(singleMs),
      `${(autoMs / singleMs).toFixed(2)}×`,
      `< 30 s: ${autoMs < 30_000 ? 'met' : 'NOT met'}`,
    ],
    [
      `ae-auto batch of ${batch.length}`,
      seconds(selectMs),
      'one predict over every arm',
      seconds(predictMs),
      `${(selectMs / predictMs).toFixed(2)}×`,
      `< 2 s: ${selectMs < 2_000 ? 'met' : 'NOT met'}`,
    ],
  );
  console.log(table.toString());
  console.log(
    `scores (penalised log evidence): ${choice.scores.map((s) => `${s.name} ${s.score.toFixed(1)}`).join(', ')}`,
  );
}

if (process.argv[1]?.endsWith('speed-model-choice.ts')) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
