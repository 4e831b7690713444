/**
 * `borda campaign create|import|start|status|export`: the researcher loop against a running API with
 * a token (`--api`/BORDA_URL, `--token`/BORDA_TOKEN). Input the CLI can check itself (a missing token
 * or file, a bad number, an unknown format) is refused with exit code 2 before any request; an error
 * answer of the API exits 1 with its code and message (and every bad line of a refused import).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ApiClient, ApiError, formatLineError, type Progress } from './api-client';
import { type Io, UsageError } from './simulate-command';

export interface CampaignIo extends Io {
  /** Where BORDA_URL and BORDA_TOKEN are read (default: process.env). */
  readonly env?: Record<string, string | undefined>;
}

// The API's lists (libs/api-contract exports.ts and imports.ts), repeated so the CLI can refuse a bad
// value before any request; cli-campaign.test.ts checks them against the contract.
export const EXPORT_FORMATS = ['raw', 'trl', 'trl-conversational', 'openai', 'kto', 'best-of-n'] as const;
export const IMPORT_FORMATS = [
  'auto',
  'borda',
  'ultrafeedback',
  'hh-rlhf',
  'binarized',
  'openai-chat',
  'plain',
] as const;

/** The Content-Type of an import file from its first bytes (the API reads the container from them too). */
export function importContentType(path: string): string {
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'application/gzip';
  if (head.toString('latin1') === 'PAR1') return 'application/vnd.apache.parquet';
  return 'application/x-ndjson';
}
const DEFAULT_API = 'http://127.0.0.1:3000';

interface ApiOptions {
  api?: string;
  token?: string;
  quiet?: boolean;
  json?: boolean;
}

const wholeNumber = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError(`expected a whole number, got '${value}'`);
  }
  return n;
};

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function client(opts: ApiOptions, io: CampaignIo): ApiClient {
  const env = io.env ?? process.env;
  const api = opts.api ?? env.BORDA_URL ?? DEFAULT_API;
  const token = opts.token ?? env.BORDA_TOKEN;
  if (!/^https?:\/\/[^/]/.test(api)) throw new UsageError(`--api must be an http(s) URL (got '${api}')`);
  if (!token) throw new UsageError('no API token: pass --token or set BORDA_TOKEN (create one with POST /auth/tokens)');
  return new ApiClient(api, token);
}

/** A bytes bar on stderr (drawn only on a terminal, like simulate's); null with --quiet. */
function bytesBar(io: CampaignIo, label: string, opts: ApiOptions) {
  if (opts.quiet) return null;
  let bar: SingleBar | null = null;
  const update: Progress = (bytes, total) => {
    if (!bar) {
      bar = new SingleBar({
        stream: io.stderr,
        hideCursor: true,
        format:
          total === null
            ? `${label} | {done} | {duration_formatted}`
            : `${label} [{bar}] {percentage}% | {done} of {size} | ETA {eta_formatted}`,
      });
      bar.start(total ?? 0, 0, { done: humanBytes(0), size: humanBytes(total ?? 0) });
    }
    bar.update(total === null ? 0 : bytes, { done: humanBytes(bytes) });
  };
  return { update, stop: () => (bar as SingleBar | null)?.stop() };
}

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

const withApi = (command: Command) =>
  command
    .option('--api <url>', `API base URL (default: BORDA_URL or ${DEFAULT_API})`)
    .option('--token <token>', 'API token (default: BORDA_TOKEN)');

interface CampaignView {
  id: string;
  name: string;
  status: string;
  budget: number;
  labelCount: number;
  promptCount: number;
  responseCount: number;
  strategy: string;
  haltedReason: string | null;
  counts?: { comparisons: { open: number; complete: number } };
}

const CREATE_FLAGS: [string, string, string, ((v: string) => unknown)?][] = [
  ['--name <name>', 'name', 'campaign name (required)'],
  ['--budget <labels>', 'budget', 'labels to collect (required)', wholeNumber],
  ['--strategy <name>', 'strategy', 'selection strategy (GET /catalog lists them; default ae-auto)'],
  ['--model <kind>', 'model', 'reward model (default auto)'],
  ['--description <text>', 'description', 'description'],
  ['--redundancy <n>', 'redundancy', 'labels per comparison', wholeNumber],
  ['--retrain-every <labels>', 'retrainEvery', 'judgments between reward-model fits', wholeNumber],
  ['--batch-size <n>', 'batchSize', 'comparisons per selection', wholeNumber],
  ['--buffer-size <n>', 'bufferSize', 'open comparisons kept ready', wholeNumber],
  ['--feature-dim <n>', 'featureDim', 'text feature dimension', wholeNumber],
  ['--feature-source <source>', 'featureSource', "'text' or 'embedding' (embeddings come in the import)"],
  ['--labelers <ids>', 'labelerIds', 'comma-separated labeler user ids', list],
];

function readConfig(file: string, io: CampaignIo): Record<string, unknown> {
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) throw new UsageError(`--config: no file '${file}'`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--config: '${file}' is not JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`--config: '${file}' must hold a JSON object of campaign settings`);
  }
  return value as Record<string, unknown>;
}

function printCampaign(c: CampaignView, io: CampaignIo, model: { version: number; labelCount: number } | null) {
  const comparisons = c.counts?.comparisons;
  const share = c.budget > 0 ? Math.round((100 * c.labelCount) / c.budget) : 0;
  io.stdout.write(
    [
      `${c.name} (${c.id}): ${c.status}${c.haltedReason ? ` (halted: ${c.haltedReason})` : ''}`,
      `  labels       ${c.labelCount} of ${c.budget} (${share}%)`,
      `  prompts      ${c.promptCount}, responses ${c.responseCount}`,
      ...(comparisons ? [`  comparisons  ${comparisons.open} open, ${comparisons.complete} complete`] : []),
      `  strategy     ${c.strategy}`,
      `  model        ${model ? `version ${model.version} (fitted on ${model.labelCount} labels)` : 'none yet'}`,
    ].join('\n') + '\n',
  );
}

interface WatchOptions {
  watch?: boolean;
  untilLabels?: number;
  interval: number;
  timeout?: number;
}

const positiveNumber = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a number above 0, got '${value}'`);
  }
  return n;
};

/**
 * Polls the campaign until it has the labels asked for (default: its budget) or can take no more
 * (completed, archived), drawing labels of the target on stderr. A halted campaign or the timeout
 * end the wait with exit code 1.
 */
async function watch(api: ApiClient, path: string, opts: WatchOptions & ApiOptions, io: CampaignIo) {
  const deadline = opts.timeout === undefined ? Infinity : Date.now() + opts.timeout * 1000;
  let bar: SingleBar | null = null;
  try {
    for (;;) {
      const c = await api.json<CampaignView>('GET', path);
      const target = opts.untilLabels ?? c.budget;
      if (!opts.quiet && !opts.json) {
        bar ??= new SingleBar({
          stream: io.stderr,
          hideCursor: true,
          format: `labels [{bar}] {value}/{total} | {status} | {duration_formatted}`,
        });
        if (!bar.isActive) bar.start(target, 0, { status: c.status });
        bar.update(Math.min(c.labelCount, target), { status: c.status });
      }
      if (c.labelCount >= target || c.status === 'completed' || c.status === 'archived') return c;
      if (c.haltedReason) throw new ApiError(null, 'CAMPAIGN_HALTED', `the campaign was halted: ${c.haltedReason}`);
      if (Date.now() >= deadline) {
        throw new ApiError(null, 'TIMEOUT', `${c.labelCount} of ${target} labels after ${opts.timeout} s`);
      }
      await new Promise((r) => setTimeout(r, Math.min(opts.interval * 1000, Math.max(0, deadline - Date.now()))));
    }
  } finally {
    bar?.stop();
  }
}

export function registerCampaignCommands(program: Command, io: CampaignIo): void {
  const campaign = program
    .command('campaign')
    .description('Create, fill, start, watch and export campaigns of a running Borda API.');

  const create = withApi(campaign.command('create').description('Create a draft campaign; prints its id.'));
  for (const [flags, , description, parse] of CREATE_FLAGS) {
    create.addOption(parse ? new Option(flags, description).argParser(parse) : new Option(flags, description));
  }
  create
    .option('--config <file.json>', 'settings as JSON (createCampaignSchema field names); flags override it')
    .option('--json', 'print the created campaign as JSON')
    .action(async (opts: ApiOptions & Record<string, unknown>) => {
      const settings: Record<string, unknown> = opts.config ? readConfig(opts.config as string, io) : {};
      for (const [flags, key] of CREATE_FLAGS) {
        const name = flags
          .slice(2)
          .split(' ')[0]
          .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
        const value = opts[name];
        if (value !== undefined) settings[key] = value;
      }
      if (typeof settings.name !== 'string' || settings.name.trim() === '') {
        throw new UsageError('a campaign needs a name: --name or "name" in --config');
      }
      if (settings.budget === undefined)
        throw new UsageError('a campaign needs a budget: --budget or "budget" in --config');
      const created = await client(opts, io).json<CampaignView>('POST', '/campaigns', settings);
      io.stdout.write(opts.json ? `${JSON.stringify(created, null, 2)}\n` : `${created.id}\n`);
    });

  withApi(
    campaign
      .command('import')
      .description('Upload prompts and responses: JSONL, gzipped JSONL or Parquet, in Borda or an external format.'),
  )
    .argument('<campaign>', 'campaign id')
    .argument('<file>', 'JSONL (one row per line), .jsonl.gz or .parquet')
    .addOption(
      new Option('--format <format>', 'row format (auto: detected from the first row)')
        .choices(IMPORT_FORMATS)
        .default('auto'),
    )
    .option('--no-judgments', 'leave out the preferences the rows carry (chosen/rejected, scores)')
    .option('--as-gold', "store the rows' preferences as gold answers too")
    .option('--dry-run', 'only check the file: report every bad line, write nothing')
    .option('--json', 'print the API answer as JSON')
    .option('--quiet', 'no progress bar')
    .action(
      async (
        id: string,
        file: string,
        opts: ApiOptions & { dryRun?: boolean; format: string; judgments: boolean; asGold?: boolean },
      ) => {
        const path = resolve(io.cwd, file);
        if (!existsSync(path)) throw new UsageError(`no file '${file}'`);
        if (opts.asGold && !opts.judgments) throw new UsageError('--as-gold needs the judgments (drop --no-judgments)');
        const api = client(opts, io);
        const bar = bytesBar(io, opts.dryRun ? 'check' : 'upload', opts);
        const query = new URLSearchParams();
        if (opts.dryRun) query.set('dryRun', 'true');
        if (opts.format !== 'auto') query.set('format', opts.format);
        if (!opts.judgments) query.set('judgments', 'false');
        if (opts.asGold) query.set('asGold', 'true');
        const route = `/campaigns/${encodeURIComponent(id)}/imports${query.size > 0 ? `?${query}` : ''}`;
        const result = await api
          .upload<Record<string, unknown>>(route, path, importContentType(path), bar?.update)
          .finally(() => bar?.stop());
        if (opts.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        if (opts.dryRun) {
          const report = result as { valid: boolean; linesRead: number; promptCount: number; responseCount: number };
          const errors = (result.errors ?? []) as Parameters<typeof formatLineError>[0][];
          if (!opts.json) {
            io.stdout.write(
              `dry run: ${report.linesRead} line(s) read, ${report.promptCount} prompt(s), ` +
                `${report.responseCount} response(s): ${report.valid ? 'valid' : `${result.errorCount} problem(s)`}\n`,
            );
            for (const e of errors) io.stdout.write(`  ${formatLineError(e)}\n`);
          }
          // A file the API would refuse fails the command, so a script can stop before the real import.
          if (!report.valid) throw new ApiError(422, 'IMPORT_INVALID', 'the dry run found problems; nothing to import');
        } else if (!opts.json) {
          io.stdout.write(
            `imported ${result.promptCount} prompt(s), ${result.responseCount} response(s); ` +
              `the campaign holds ${result.totalPrompts} prompt(s)` +
              (result.judgmentCount ? `; ${result.judgmentCount} imported judgment(s)` : '') +
              '\n',
          );
        }
      },
    );

  withApi(campaign.command('start').description('Start a draft campaign (labelers can label from now on).'))
    .argument('<campaign>', 'campaign id')
    .action(async (id: string, opts: ApiOptions) => {
      const started = await client(opts, io).json<CampaignView>('POST', `/campaigns/${encodeURIComponent(id)}/start`);
      io.stdout.write(`${started.name} (${started.id}): ${started.status}\n`);
    });

  withApi(campaign.command('status').description("A campaign's state, labels, prompts and newest model."))
    .argument('<campaign>', 'campaign id')
    .option('--json', 'print the campaign and its newest model version as JSON')
    .option('--watch', 'first wait, with a progress bar, until --until-labels labels are in (default: the budget)')
    .option('--until-labels <labels>', 'with --watch: the label count to wait for', wholeNumber)
    .option('--interval <seconds>', 'with --watch: seconds between polls', positiveNumber, 5)
    .option('--timeout <seconds>', 'with --watch: give up (exit 1, TIMEOUT) after this long', positiveNumber)
    .action(async (id: string, opts: ApiOptions & WatchOptions) => {
      const api = client(opts, io);
      const path = `/campaigns/${encodeURIComponent(id)}`;
      const c = opts.watch ? await watch(api, path, opts, io) : await api.json<CampaignView>('GET', path);
      const models = await api.json<{ items: { version: number; labelCount: number }[] }>(
        'GET',
        `${path}/models?limit=1`,
      );
      const model = models.items[0] ?? null;
      if (opts.json) io.stdout.write(`${JSON.stringify({ campaign: c, model }, null, 2)}\n`);
      else printCampaign(c, io, model);
    });

  withApi(campaign.command('export').description('Download an export (JSONL or Parquet), or its dataset card.'))
    .argument('<campaign>', 'campaign id')
    .addOption(new Option('--format <format>', 'export format').choices(EXPORT_FORMATS).makeOptionMandatory())
    .requiredOption('--out <file>', 'where to write the export (or the card)')
    .addOption(new Option('--file <kind>', 'jsonl or parquet').choices(['jsonl', 'parquet']).default('jsonl'))
    .option('--card', "download the export's dataset card (README.md) instead of the data")
    .option('--models', 'raw excepted: add the source model of each response')
    .addOption(
      new Option('--aggregate <how>', 'trl/openai: one line per comparison').choices([
        'none',
        'majority',
        'reliability',
      ]),
    )
    .option('--margin', 'trl: add a margin from the judgment strength')
    .addOption(
      new Option('--policy <kind>', 'best-of-n: which policy picks').choices(['greedy', 'pessimistic', 'soft', 'dpo']),
    )
    .option('--quiet', 'no progress bar')
    .action(
      async (
        id: string,
        opts: ApiOptions & {
          format: string;
          out: string;
          file: string;
          card?: boolean;
          models?: boolean;
          aggregate?: string;
          margin?: boolean;
          policy?: string;
        },
      ) => {
        const preference = ['trl', 'trl-conversational', 'openai'].includes(opts.format);
        if (opts.aggregate && !preference)
          throw new UsageError('--aggregate applies to trl, trl-conversational and openai');
        if (opts.margin && !['trl', 'trl-conversational'].includes(opts.format))
          throw new UsageError('--margin applies to trl and trl-conversational');
        if (opts.models && opts.format === 'raw') throw new UsageError('raw lines always name their source models');
        if (opts.policy && opts.format !== 'best-of-n') throw new UsageError('--policy applies to best-of-n only');
        const out = resolve(io.cwd, opts.out);
        const query = new URLSearchParams();
        if (opts.card) query.set('format', opts.format);
        if (opts.file !== 'jsonl') query.set('file', opts.file);
        if (opts.models) query.set('models', 'true');
        if (opts.aggregate) query.set('aggregate', opts.aggregate);
        if (opts.margin) query.set('margin', 'true');
        if (opts.policy) query.set('policy', opts.policy);
        const api = client(opts, io);
        const bar = bytesBar(io, `download ${opts.card ? 'card' : opts.format}`, opts);
        const route = opts.card ? 'card' : opts.format;
        const path = `/campaigns/${encodeURIComponent(id)}/exports/${route}${query.size > 0 ? `?${query}` : ''}`;
        const result = await api.download(path, out, bar?.update).finally(() => bar?.stop());
        const what = opts.card || opts.file === 'parquet' ? '' : `${result.lines} line(s), `;
        io.stdout.write(`wrote ${what}${humanBytes(result.bytes)} to ${opts.out}\n`);
      },
    );
}
