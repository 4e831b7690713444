/**
 * Which rival should ae-auto ask? A regret experiment behind the choice documented in the README.
 *
 *   node --conditions=borda-source --import tsx libs/dueling-bandit/test/experiments/rival-choice.ts [seeds] [budget]
 *
 * Rules compared, all with ae-auto's context and first response (β = 2, batches of 4):
 * - uniform: the paper's uniformly random other response;
 * - variance: the plausible rival with the largest posterior variance of u(first) − u(b);
 * - optimistic: the plausible rival with the largest μ_b − μ_first + β·sd(u(first) − u(b)) (the
 *   rival most likely to beat the first, in the spirit of MaxInP / top-two sampling).
 * Models: a linear Bradley–Terry model on 64 random Fourier features (the simulator's BT model) and
 * the exact Borda GP. Environments: a Branin grid (12 contexts × 10 actions) and, per seed, a fresh
 * random smooth reward over 30 prompts × 6 responses in [0, 1]³. Labels are Bradley–Terry draws
 * of the true reward; the output policy is argmax of the posterior mean. Reported: SubOpt_max and
 * SubOpt_mean after the budget and the mean SubOpt_max over checkpoints (area under the curve),
 * mean ± 95% t-interval over seeds, and the paired difference of each rule to uniform and of
 * variance to optimistic. Self-contained (no simulator import: it sits below the simulator).
 */
import { meanConfidence95, Rng, row, sigmoid, type FeatureMatrix } from '@borda/numeric';
import {
  BordaGP,
  LinearBradleyTerry,
  RandomFourierFeatures,
  type Posterior,
  type PreferenceModel,
} from '@borda/reward-model';
import {
  AeAutoStrategy,
  candidateSetFromRows,
  differenceVarianceOf,
  greedyPolicy,
  policyResponses,
  type CandidateSet,
  type RivalScore,
  type SelectionStrategy,
} from '@borda/dueling-bandit';

interface Problem {
  readonly name: string;
  readonly candidates: CandidateSet;
  readonly reward: Float64Array;
  readonly lengthscale: number;
}

function rescale(values: number[]): Float64Array {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return Float64Array.from(values, (v) => -3 + (6 * (v - lo)) / (hi - lo));
}

function branin(): Problem {
  const contexts = 12;
  const actions = 10;
  const rows: number[][][] = [];
  const raw: number[] = [];
  for (let i = 0; i < contexts; i++) {
    rows.push([]);
    for (let j = 0; j < actions; j++) {
      const u = i / (contexts - 1);
      const v = j / (actions - 1);
      const x1 = -5 + 15 * u;
      const x2 = 15 * v;
      const b = 5.1 / (4 * Math.PI ** 2);
      const f = (x2 - b * x1 * x1 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
      rows[i].push([u, v]);
      raw.push(-f);
    }
  }
  return { name: 'branin', candidates: candidateSetFromRows(rows), reward: rescale(raw), lengthscale: 0.25 };
}

/** A smooth random reward: a draw from an RBF GP prior (400 random features), on random arms. */
function randomSmooth(seed: number): Problem {
  const rng = new Rng(1000 + seed);
  const d = 3;
  const rows = Array.from({ length: 30 }, () =>
    Array.from({ length: 6 }, () => Array.from({ length: d }, () => rng.next())),
  );
  const candidates = candidateSetFromRows(rows);
  const map = new RandomFourierFeatures({ inputDimension: d, features: 400, lengthscale: 0.4, seed, path: 'js' });
  const phi = map.transform(candidates.features);
  const w = rng.normals(phi.cols);
  const raw = Array.from({ length: phi.rows }, (_, r) => {
    let s = 0;
    for (let k = 0; k < phi.cols; k++) s += w[k] * phi.data[r * phi.cols + k];
    return s;
  });
  return { name: 'random-smooth', candidates, reward: rescale(raw), lengthscale: 0.4 };
}

class OptimisticRival extends AeAutoStrategy {
  protected override rivalScore(model: PreferenceModel, features: FeatureMatrix, posterior: Posterior): RivalScore {
    const variance = differenceVarianceOf(model, features, posterior.std);
    const { mean } = posterior;
    return (first, rival) => mean[rival] - mean[first] + this.beta * Math.sqrt(Math.max(variance(first, rival), 0));
  }
}

const RULES: Record<string, () => SelectionStrategy> = {
  uniform: () => new AeAutoStrategy({ rival: 'uniform' }),
  variance: () => new AeAutoStrategy({ rival: 'informative' }),
  optimistic: () => new OptimisticRival({ rival: 'informative' }),
};

const MODELS: Record<string, (p: Problem, seed: number) => PreferenceModel> = {
  'linear-bt': (p, seed) =>
    new LinearBradleyTerry({
      dimension: p.candidates.features.cols,
      featureMap: new RandomFourierFeatures({
        inputDimension: p.candidates.features.cols,
        features: 64,
        lengthscale: p.lengthscale,
        signalVariance: 1,
        seed,
        path: 'js',
      }),
    }),
  'borda-gp': (p) => new BordaGP({ dimension: p.candidates.features.cols, lengthscale: p.lengthscale }),
};

function subOpt(p: Problem, policy: Int32Array): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  const prompts = p.candidates.offsets.length - 1;
  for (let x = 0; x < prompts; x++) {
    const start = p.candidates.offsets[x];
    let best = -Infinity;
    for (let r = start; r < p.candidates.offsets[x + 1]; r++) best = Math.max(best, p.reward[r]);
    const loss = best - p.reward[start + policy[x]];
    max = Math.max(max, loss);
    sum += loss;
  }
  return { max, mean: sum / prompts };
}

function run(p: Problem, modelName: string, ruleName: string, seed: number, budget: number, batch: number) {
  const model = MODELS[modelName](p, seed);
  const strategy = RULES[ruleName]();
  const root = new Rng(seed);
  const selectRng = root.fork(2);
  const labelRng = root.fork(1);
  const { candidates, reward } = p;
  const curve: number[] = [];
  for (let done = 0; done < budget; done += batch) {
    const queries = strategy.select({ candidates, model, batchSize: batch, rng: selectRng });
    model.update(
      queries.map((q) => {
        const a = candidates.offsets[q.prompt] + q.first;
        const b = candidates.offsets[q.prompt] + q.second;
        return {
          first: row(candidates.features, a),
          second: row(candidates.features, b),
          outcome: labelRng.bernoulli(sigmoid(reward[a] - reward[b])),
        };
      }),
    );
    curve.push(subOpt(p, policyResponses(greedyPolicy(model, candidates))).max);
  }
  const final = subOpt(p, policyResponses(greedyPolicy(model, candidates)));
  return { max: final.max, mean: final.mean, area: curve.reduce((s, v) => s + v, 0) / curve.length };
}

const format = (xs: number[]) => {
  const ci = meanConfidence95(xs);
  return `${ci.mean.toFixed(3)} ± ${ci.halfWidth.toFixed(3)}`;
};

const seeds = Number(process.argv[2] ?? 24);
const budget = Number(process.argv[3] ?? 200);
const batch = 4;
const started = performance.now();
for (const env of ['branin', 'random-smooth']) {
  for (const modelName of Object.keys(MODELS)) {
    const results: Record<string, { max: number; mean: number; area: number }[]> = {};
    for (const rule of Object.keys(RULES)) {
      results[rule] = Array.from({ length: seeds }, (_, s) =>
        run(env === 'branin' ? branin() : randomSmooth(s + 1), modelName, rule, s + 1, budget, batch),
      );
    }
    console.log(`\n${env} / ${modelName}: ${seeds} seeds, ${budget} labels, batch ${batch}`);
    console.log('rule        SubOpt_max final   SubOpt_mean final   SubOpt_max area');
    for (const rule of Object.keys(RULES)) {
      const r = results[rule];
      console.log(
        `${rule.padEnd(11)} ${format(r.map((x) => x.max)).padEnd(18)} ${format(r.map((x) => x.mean)).padEnd(19)} ${format(r.map((x) => x.area))}`,
      );
    }
    const diff = (a: string, b: string, key: 'max' | 'mean' | 'area') =>
      format(results[a].map((x, k) => x[key] - results[b][k][key]));
    for (const [a, b] of [
      ['variance', 'uniform'],
      ['optimistic', 'uniform'],
      ['variance', 'optimistic'],
    ]) {
      console.log(
        `paired ${a} − ${b}: max ${diff(a, b, 'max')}, mean ${diff(a, b, 'mean')}, area ${diff(a, b, 'area')}`,
      );
    }
  }
}
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s`);
