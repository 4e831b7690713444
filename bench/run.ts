/**
 * `npm run bench [-- <name> ...]`: runs the benchmark suites in this process and prints their tables.
 * Each suite prints its own baseline beside its measurement, so ratios compare like with like.
 */
import * as models from './speed-models';
import * as neural from './speed-neural';
import * as modelChoice from './speed-model-choice';
import * as regret from './regret';
import * as apiImport from './api-import';
import * as importFormats from './import-formats';
import * as apiLabeling from './api-labeling';
import * as apiCycle from './api-cycle';
import * as learningLoop from './learning-loop';
import * as labelerApp from './labeler-app';
import * as crowd from './crowd';

interface BenchSuite {
  readonly name: string;
  readonly description: string;
  readonly suite: { run: () => Promise<void> };
}

const SUITES: readonly BenchSuite[] = [
  {
    name: 'models',
    description: 'low-rank scoring of 100k prompts × 8 responses; exact-GP update per label',
    suite: models,
  },
  {
    name: 'model-choice',
    description: 'bt-laplace feature-map choice + fit at 10k labels and an ae-auto batch of 256 over 100k prompts × 8',
    suite: modelChoice,
  },
  {
    name: 'neural',
    description: 'neural Bradley–Terry ensemble fit on 10k pairs per backend',
    suite: neural,
  },
  {
    name: 'regret',
    description: 'every strategy on every environment, budget 600, batch 1 and 16',
    suite: regret,
  },
  {
    name: 'crowd',
    description:
      'honest-only vs mixed crowd (a third bad) at redundancy 1 and 3, with and without gold: raw vs reliability-weighted',
    suite: crowd,
  },
  {
    name: 'api-import',
    description: 'JSONL import of 100k prompts × 8 responses through the API (time, peak memory)',
    suite: apiImport,
  },
  {
    name: 'import-formats',
    description:
      'import of 100k rows per adapter (8 responses, 2 for pairwise formats) as JSONL, gzip and Parquet, against Borda JSONL',
    suite: importFormats,
  },
  {
    name: 'api-labeling',
    description: 'next + submit round trips, 200 concurrent labelers, against leasing straight from Postgres',
    suite: apiLabeling,
  },
  {
    name: 'api-cycle',
    description: 'one RewardModelFit → PolicyFit → ComparisonSelect cycle at 10,000 labels',
    suite: apiCycle,
  },
  {
    name: 'learning-loop',
    description:
      'simulated labelers (30, 200; k 1, 3) on live campaigns of 900 and 80,000 responses: empty next calls, selection latency, labels/s',
    suite: learningLoop,
  },
  {
    name: 'labeler-app',
    description: 'the wait between two judgments in Chromium: the prefetching app against submit + next round trips',
    suite: labelerApp,
  },
];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !SUITES.some((s) => s.name === name));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}; choose from: ${SUITES.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
  const selected = wanted.length > 0 ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;
  for (const suite of selected) {
    console.log(`\n=== ${suite.name}: ${suite.description}\n`);
    const started = Date.now();
    await suite.suite.run();
    console.log(`(${suite.name} took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
