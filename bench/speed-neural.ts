/**
 * Neural Bradley–Terry ensemble fit time on 10,000 pairs of joint features (width 3·64 = 192), on
 * every TensorFlow.js backend that loads here.
 *
 * Work is fixed so that backends compare like with like: the default ensemble (5 members, hidden
 * [64, 64], batch 64) for exactly EPOCHS epochs (patience = epochs, so early stopping never fires).
 * A backend whose one-epoch probe predicts more than ~60 s for the full run is timed on a subset of
 * the pairs instead and its time scaled linearly to 10,000 pairs (an epoch's cost is linear in the
 * number of pairs: same batch size, proportionally more steps); the table says so.
 *
 * Run: `npm run bench -- neural`, or standalone `node --conditions=borda-source --import tsx bench/speed-neural.ts`.
 */
import Table from 'cli-table3';
import { Rng, sigmoid } from '@borda/numeric';
import {
  NeuralBradleyTerry,
  type PairObservation,
  type TensorflowBackendName,
  initTensorflow,
  jointFeatures,
} from '@borda/reward-model';

const PAIRS = 10_000;
const EMBEDDING = 64;
const EPOCHS = 20;
const BUDGET_S = 60;
const BACKENDS: readonly TensorflowBackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

function unit(rng: Rng, d: number): Float64Array {
  const v = rng.normals(d);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/** 10k pairs within 1,000 prompts × 8 responses, labels from a nonlinear reward of (p, r). */
function syntheticPairs(count: number): { observations: PairObservation[]; width: number } {
  const rng = new Rng(2024);
  const prompts = Array.from({ length: 1000 }, () => unit(rng, EMBEDDING));
  const responses = prompts.map(() => Array.from({ length: 8 }, () => unit(rng, EMBEDDING)));
  const { features, offsets } = jointFeatures(prompts, responses);
  const w = rng.normals(EMBEDDING);
  const row = (i: number) => features.data.subarray(i * features.cols, (i + 1) * features.cols);
  const reward = (i: number) => {
    const f = row(i);
    let s = 0;
    for (let j = 0; j < EMBEDDING; j++) s += w[j] * Math.tanh(4 * f[2 * EMBEDDING + j] + f[EMBEDDING + j]);
    return s;
  };
  const observations: PairObservation[] = [];
  for (let k = 0; k < count; k++) {
    const p = rng.int(prompts.length);
    const a = rng.int(8);
    const b = rng.intExcluding(8, a);
    const i = offsets[p] + a;
    const j = offsets[p] + b;
    observations.push({ first: row(i), second: row(j), outcome: rng.bernoulli(sigmoid(reward(i) - reward(j))) });
  }
  return { observations, width: features.cols };
}

function fitSeconds(
  observations: readonly PairObservation[],
  width: number,
  epochs: number,
): { seconds: number; model: NeuralBradleyTerry } {
  const model = new NeuralBradleyTerry({ dimension: width, epochs, patience: epochs, seed: 1 });
  const started = performance.now();
  model.fit(observations);
  return { seconds: (performance.now() - started) / 1000, model };
}

interface Row {
  backend: string;
  status: string;
  fittedPairs?: number;
  seconds?: number;
  fullSeconds?: number;
  accuracy?: number;
  note: string;
}

export async function run(): Promise<void> {
  const { observations, width } = syntheticPairs(PAIRS);
  const rows: Row[] = [];
  for (const backend of BACKENDS) {
    let report;
    try {
      report = await initTensorflow({ preference: [backend] });
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).replace(
        /^no TensorFlow\.js backend could start: /,
        '',
      );
      rows.push({ backend, status: 'not available', note: reason.replace(`${backend}: `, '') });
      continue;
    }
    fitSeconds(observations.slice(0, 200), width, 1); // warm-up: kernel set-up, first allocations
    const probePairs = 1000;
    const probe = fitSeconds(observations.slice(0, probePairs), width, 1).seconds;
    const predicted = probe * (PAIRS / probePairs) * EPOCHS;
    let fitted = PAIRS;
    if (predicted > BUDGET_S) fitted = Math.max(500, Math.floor((PAIRS * BUDGET_S) / predicted / 500) * 500);
    const { seconds, model } = fitSeconds(observations.slice(0, fitted), width, EPOCHS);
    rows.push({
      backend: report.backend,
      status: 'ok',
      fittedPairs: fitted,
      seconds,
      fullSeconds: (seconds * PAIRS) / fitted,
      accuracy: model.trainingReport.bestValidationAccuracy,
      note:
        fitted < PAIRS ? `timed on ${fitted} pairs, scaled ×${(PAIRS / fitted).toFixed(1)} to ${PAIRS}` : 'measured',
    });
  }
  const fastest = Math.min(...rows.filter((r) => r.fullSeconds !== undefined).map((r) => r.fullSeconds as number));
  const table = new Table({
    head: ['backend', 'status', 'pairs fitted', 'fit s', `s for ${PAIRS} pairs`, 'vs fastest', 'val. acc.', 'note'],
  });
  for (const r of rows) {
    table.push([
      r.backend,
      r.status,
      r.fittedPairs ?? '-',
      r.seconds?.toFixed(2) ?? '-',
      r.fullSeconds?.toFixed(2) ?? '-',
      r.fullSeconds !== undefined ? `${(r.fullSeconds / fastest).toFixed(2)}×` : '-',
      r.accuracy !== undefined ? r.accuracy.toFixed(3) : '-',
      r.note,
    ]);
  }
  console.log(
    `NeuralBradleyTerry fit: ${PAIRS} pairs, width ${width} (3·${EMBEDDING}), 5 members, hidden [64, 64], ` +
      `batch 64, ${EPOCHS} epochs fixed (80/20 validation split, no early stop)`,
  );
  console.log(table.toString());
  // Later suites in the same process get the fastest backend again, not the last one timed.
  await initTensorflow({ preference: BACKENDS });
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
