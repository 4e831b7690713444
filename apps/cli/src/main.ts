/**
 * The `borda` command line. `main(argv, io)` returns the exit code instead of exiting, so it can be
 * tested in-process: 0 success, 1 failure during the run, 2 input refused before any work started.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ENVIRONMENT_NAMES, STRATEGY_NAMES, defaultWorkerCount } from '@borda/simulator';
import { type CampaignIo, registerCampaignCommands } from './campaign-command';
import { UsageError, simulateCommand } from './simulate-command';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function numberArg(kind: 'integer' | 'number') {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || (kind === 'integer' && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`expected ${kind === 'integer' ? 'an integer' : 'a number'}, got '${value}'`);
    }
    return n;
  };
}

const listArg = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

export function buildProgram(io: CampaignIo): Command {
  const program = new Command('borda')
    .description('Active RLHF preference collection: regret simulations, and campaigns on a running API.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  program
    .command('simulate')
    .description('Run every (strategy, seed) on an environment and report SubOpt_max/SubOpt_mean curves.')
    .option(
      '--env <spec>',
      `built-in environment (${ENVIRONMENT_NAMES.join(', ')}) or a .js/.cjs/.mjs/.json/.jsonl path`,
      'mixed',
    )
    .option('--strategies <list>', `comma-separated strategies (default: all of ${STRATEGY_NAMES.join(', ')})`, listArg)
    .option('--budget <labels>', 'labels per run', numberArg('integer'), 200)
    .option('--batch <size>', 'queries per round', numberArg('integer'), 1)
    .option('--seeds <count>', 'seeds per strategy', numberArg('integer'), 10)
    .option('--seed-start <seed>', 'first seed (runs use seed-start, seed-start + 1, …)', numberArg('integer'), 1)
    .option('--beta <beta>', 'confidence width β of the strategies (default: their own, 2)', numberArg('number'))
    .option('--epsilon <eps>', 'ε of labels-to-ε (default: 5% of the reward range)', numberArg('number'))
    .option(
      '--checkpoint-every <labels>',
      'labels between policy evaluations (default: max(batch, 10))',
      numberArg('integer'),
    )
    .option('--workers <count>', `worker threads (default: CPU count, ${defaultWorkerCount()})`, numberArg('integer'))
    .option('--out <dir>', 'output folder for results.json, curves.csv and regret.svg', 'simulation-output')
    .option('--grid-size <points>', 'points per axis of the grid environments', numberArg('integer'))
    .option('--env-seed <seed>', "seed of the environment's own randomness", numberArg('integer'), 1)
    .option(
      '--low-rank',
      'run the Borda strategies on the low-rank model (random Fourier features) instead of the exact GP',
    )
    .option('--quiet', 'no progress bar and only the summary table')
    .action((opts: Record<string, unknown>) =>
      simulateCommand(
        {
          environment: opts.env as string,
          strategies: opts.strategies as string[] | undefined,
          budget: opts.budget as number,
          batchSize: opts.batch as number,
          seeds: opts.seeds as number,
          seedStart: opts.seedStart as number,
          beta: opts.beta as number | undefined,
          epsilon: opts.epsilon as number | undefined,
          checkpointEvery: opts.checkpointEvery as number | undefined,
          workers: opts.workers as number | undefined,
          gridSize: opts.gridSize as number | undefined,
          environmentSeed: opts.envSeed as number,
          out: opts.out as string,
          quiet: Boolean(opts.quiet),
        },
        io,
      ),
    );
  registerCampaignCommands(program, io);
  return program;
}

export async function main(
  argv: readonly string[],
  io: CampaignIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() },
): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed its message; only help and version exit 0.
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`borda: ${e.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`borda: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
