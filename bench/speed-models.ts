/**
 * Speed of the Borda regression models, each beside an in-process baseline:
 * (a) one AE-Borda scoring pass over 100,000 prompts × 8 responses with a LowRankBorda at d = 128
 *     that has absorbed 10,000 labels — the tfjs path against the pure-JS path;
 * (b) the exact GP's O(n²) update per label against the O(n³) full refit, at n = 1,000 / 3,000 / 5,000.
 *
 * Standalone: `node --conditions=borda-source --import tsx bench/speed-models.ts`.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import Table from 'cli-table3';
import { Rng } from '@borda/numeric';
import type { FeatureMatrix } from '@borda/numeric';
import { BordaGP, LowRankBorda, PairObservation, activeBackend, initTensorflow } from '@borda/reward-model';
import { AeBordaStrategy, type CandidateSet } from '@borda/dueling-bandit';

const PROMPTS = 100_000;
const RESPONSES = 8;
const DIMENSION = 128;
const LABELS = 10_000;
const BETA = 2;
const GP_DIMENSION = 8;
const GP_SIZES = [1000, 3000, 5000];
const TIMED_UPDATES = 5;
const SELECT_BATCH = 256;

interface PeakEstimate {
  readonly gflops: number;
  readonly wasmCoreGflops: number;
  readonly how: string;
}

/** cores × GHz × fp32 FLOPs/cycle for the widest SIMD the flags advertise (2 FMA pipes assumed). */
function estimatePeak(): PeakEstimate {
  let flags = '';
  let mhz = 0;
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    flags = /^flags\s*:\s*(.*)$/m.exec(info)?.[1] ?? '';
    mhz = Number(/^cpu MHz\s*:\s*([\d.]+)$/m.exec(info)?.[1] ?? 0);
    model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? model;
  } catch {
    // Not Linux: fall back to what os.cpus() reports.
  }
  if (!mhz) mhz = cpus()[0]?.speed ?? 0;
  const has = (flag: string) => flags.split(/\s+/).includes(flag);
  const [simd, lanes, fma] = has('avx512f')
    ? ['AVX-512', 16, true]
    : has('avx2') && has('fma')
      ? ['AVX2+FMA', 8, true]
      : has('avx')
        ? ['AVX', 8, false]
        : ['SSE2', 4, false];
  const perCycle = lanes * 2 * (fma ? 2 : 1); // × 2 for FMA (or add + mul), × 2 pipes with FMA
  const cores = cpus().length;
  const ghz = mhz / 1000;
  return {
    gflops: cores * ghz * perCycle,
    wasmCoreGflops: ghz * 16, // WebAssembly SIMD128: 4 fp32 lanes × FMA-free mul+add × 2 pipes, one thread
    how:
      `${model}: ${cores} cores × ${ghz.toFixed(2)} GHz (/proc/cpuinfo "cpu MHz") × ${perCycle} fp32 FLOPs/cycle ` +
      `(${simd}: ${lanes} lanes × 2${fma ? ' (FMA) × 2 FMA pipes, assumed' : ''})`,
  };
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function randomFeatures(rows: number, d: number, rng: Rng): FeatureMatrix {
  // Centred, scaled to unit-ish norm, the way embedding features arrive.
  const data = new Float32Array(rows * d);
  const scale = 2 / Math.sqrt(d);
  for (let i = 0; i < data.length; i++) data[i] = (rng.next() - 0.5) * scale * Math.sqrt(3);
  return { rows, cols: d, data };
}

/** The AE-Borda context choice: argmax over prompts of max UCB − max LCB. */
function aeBordaPass(model: LowRankBorda, candidates: FeatureMatrix): { prompt: number; gap: number } {
  const { mean, std } = model.predict(candidates);
  let best = -Infinity;
  let prompt = -1;
  for (let p = 0; p < PROMPTS; p++) {
    let ucb = -Infinity;
    let lcb = -Infinity;
    for (let a = p * RESPONSES; a < (p + 1) * RESPONSES; a++) {
      ucb = Math.max(ucb, mean[a] + BETA * std[a]);
      lcb = Math.max(lcb, mean[a] - BETA * std[a]);
    }
    if (ucb - lcb > best) {
      best = ucb - lcb;
      prompt = p;
    }
  }
  return { prompt, gap: best };
}

async function scoringBenchmark(peak: PeakEstimate): Promise<void> {
  const backend = await initTensorflow();
  const rng = new Rng(2024);
  const arms = PROMPTS * RESPONSES;
  const candidates = randomFeatures(arms, DIMENSION, rng);
  const model = new LowRankBorda({ dimension: DIMENSION, priorVariance: 1 });
  const labels: PairObservation[] = [];
  for (let t = 0; t < LABELS; t++) {
    const a = rng.int(arms);
    const first = candidates.data.subarray(a * DIMENSION, (a + 1) * DIMENSION);
    labels.push({ first, second: first, outcome: rng.bernoulli(0.5 + 0.4 * Math.tanh(4 * first[0])) });
  }
  const updateMs = timeIt(() => model.update(labels));
  const jsModel = LowRankBorda.load({ ...model.toJSON(), scoring: { path: 'js' } });

  // Warm-up (tfjs kernels, JIT), then the timed passes.
  const warm = { rows: 4096, cols: DIMENSION, data: candidates.data.subarray(0, 4096 * DIMENSION) };
  model.predict(warm);
  jsModel.predict(warm);
  let picked = { prompt: -1, gap: 0 };
  const fast = median([0, 1, 2].map(() => timeIt(() => (picked = aeBordaPass(model, candidates)))));
  let jsPicked = { prompt: -1, gap: 0 };
  const slow = median([0, 1].map(() => timeIt(() => (jsPicked = aeBordaPass(jsModel, candidates)))));

  // Executed FLOPs per arm: the tensor path multiplies the full d×d Rᵀ (2d²) and squares and sums
  // (2d); the JS path skips R's zero triangle (d(d+1)); both spend 2d on the mean.
  const d = DIMENSION;
  const tensorFlops = arms * (2 * d * d + 4 * d);
  const jsFlops = arms * (d * (d + 1) + 2 * d);
  const table = new Table({
    head: ['path', 'wall time', 'arms/s', 'GFLOP/s (executed)', '% of machine peak', 'vs js'],
  });
  const row = (name: string, ms: number, flops: number) => {
    const gflops = flops / ms / 1e6;
    return [
      name,
      seconds(ms),
      `${((arms / ms) * 1000).toExponential(2)}`,
      gflops.toFixed(2),
      `${((100 * gflops) / peak.gflops).toFixed(1)}%`,
      `${(slow / ms).toFixed(2)}×`,
    ];
  };
  table.push(
    row(
      `predict, ${backend.backend === 'cpu' ? 'js (no fast tfjs backend)' : `tfjs ${activeBackend()}`}`,
      fast,
      tensorFlops,
    ),
  );
  table.push(row('predict, pure js (baseline)', slow, jsFlops));
  console.log(
    `(a) AE-Borda scoring pass: ${PROMPTS.toLocaleString()} prompts × ${RESPONSES} responses = ${arms.toLocaleString()} arms, ` +
      `d = ${d}, LowRankBorda after ${LABELS.toLocaleString()} labels ` +
      `(absorbed in ${seconds(updateMs)}, ${((updateMs / LABELS) * 1000).toFixed(0)} µs/label); median of 3 (tfjs) / 2 (js) passes`,
  );
  console.log(table.toString());
  console.log(`machine peak ≈ ${peak.gflops.toFixed(0)} GFLOP/s fp32: ${peak.how}`);
  console.log(
    `single-thread WebAssembly SIMD128 ceiling ≈ ${peak.wasmCoreGflops.toFixed(0)} GFLOP/s (the wasm backend runs one ` +
      `thread with 128-bit vectors); tfjs path reaches ${((100 * tensorFlops) / fast / 1e6 / peak.wasmCoreGflops).toFixed(0)}% of it`,
  );
  console.log(
    `both paths picked prompt ${picked.prompt} / ${jsPicked.prompt} (gap ${picked.gap.toFixed(5)} / ${jsPicked.gap.toFixed(5)})`,
  );
  selectBenchmark(model, jsModel, candidates);
}

/**
 * The whole selection a campaign runs: AeBordaStrategy.select for a batch of 256 — scoring every
 * arm, ranking prompts by gap and the lazy hallucinated greedy (ae-borda-lazy-greedy.ts).
 */
function selectBenchmark(model: LowRankBorda, jsModel: LowRankBorda, features: FeatureMatrix): void {
  const offsets = Int32Array.from({ length: PROMPTS + 1 }, (_, p) => p * RESPONSES);
  const candidates: CandidateSet = { features, offsets };
  const strategy = new AeBordaStrategy({ beta: BETA, modelKind: 'low-rank-borda' });
  const select = (m: LowRankBorda) =>
    strategy.select({ candidates, model: m, batchSize: SELECT_BATCH, rng: new Rng(1) });
  let queries = select(model);
  const fast = median([0, 1, 2].map(() => timeIt(() => (queries = select(model)))));
  const slow = timeIt(() => select(jsModel));
  const distinct = new Set(queries.map((q) => q.prompt)).size;
  const table = new Table({ head: ['path', 'wall time', 'arms scored/s', 'distinct prompts in batch', 'vs js'] });
  const arms = PROMPTS * RESPONSES;
  table.push([
    `select, tfjs ${activeBackend()}`,
    seconds(fast),
    ((arms / fast) * 1000).toExponential(2),
    `${distinct} / ${SELECT_BATCH}`,
    `${(slow / fast).toFixed(2)}×`,
  ]);
  table.push(['select, pure js (baseline)', seconds(slow), ((arms / slow) * 1000).toExponential(2), '', '1.00×']);
  console.log(
    `\n(a′) AeBordaStrategy.select, batch ${SELECT_BATCH}, over the same ${arms.toLocaleString()} arms ` +
      `(target < 2 s): scoring + gap ranking + lazy hallucinated greedy; median of 3 (tfjs)`,
  );
  console.log(table.toString());
}

function gpBenchmark(): void {
  const rng = new Rng(7);
  const total = GP_SIZES[GP_SIZES.length - 1] + TIMED_UPDATES;
  const observations: PairObservation[] = [];
  for (let i = 0; i < total; i++) {
    const first = Array.from({ length: GP_DIMENSION }, () => rng.next());
    observations.push({ first, second: first, outcome: rng.bernoulli(0.3 + 0.4 * first[0]) });
  }
  const table = new Table({ head: ['n', 'update per label', 'full refit (baseline)', 'refit / update'] });
  for (const n of GP_SIZES) {
    const gp = new BordaGP({ dimension: GP_DIMENSION, autoTrack: false });
    // fit() is the O(n³) refit: building the model this way is also the baseline measurement.
    const refit = timeIt(() => gp.fit(observations.slice(0, n)));
    const perLabel =
      median(observations.slice(n, n + TIMED_UPDATES).map((o) => timeIt(() => gp.update([o])))) || Number.EPSILON;
    table.push([n.toLocaleString(), seconds(perLabel), seconds(refit), `${Math.round(refit / perLabel)}×`]);
  }
  console.log(
    `\n(b) exact Borda GP, d = ${GP_DIMENSION}, RBF: median of ${TIMED_UPDATES} single-label updates (one O(n²) factor ` +
      `row each) after fit() to n, against that O(n³) fit()`,
  );
  console.log(table.toString());
}

export async function run(): Promise<void> {
  const peak = estimatePeak();
  await scoringBenchmark(peak);
  gpBenchmark();
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
