/**
 * Import speed and the API's peak memory for every import adapter (borda, ultrafeedback, hh-rlhf,
 * binarized, openai-chat, plain) in every container (JSONL, gzipped JSONL, Parquet), through the
 * built API (apps/api/dist, `npm run build` first). One service runs every case, each into a fresh
 * campaign; the baseline is the Borda JSONL import in the same run, so the ratio is what an adapter
 * and a container cost on top of the native path.
 *
 * Size: BENCH_IMPORT_PROMPTS rows (default 100,000) with BENCH_IMPORT_RESPONSES responses each
 * (default 8) where the format holds a list; the pairwise formats (hh-rlhf, binarized, openai-chat)
 * hold two responses a row by nature. BENCH_IMPORT_FORMATS and BENCH_IMPORT_CONTAINERS (comma lists)
 * pick cases. Bodies are built before the clock starts (the client's gzip and Parquet writing are
 * not the API's cost); the peak RSS is VmHWM of the API process, reset before each case through
 * /proc/<pid>/clear_refs.
 *
 * Standalone: `node --conditions=borda-source --import tsx -e "require('./bench/import-formats').run()"`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import Table from 'cli-table3';
import { type RunningService, startService } from './support/service';

const PROMPTS = Number(process.env.BENCH_IMPORT_PROMPTS ?? 100_000);
const RESPONSES = Number(process.env.BENCH_IMPORT_RESPONSES ?? 8);
const ALL_FORMATS = ['borda', 'ultrafeedback', 'hh-rlhf', 'binarized', 'openai-chat', 'plain'] as const;
const ALL_CONTAINERS = ['jsonl', 'gzip', 'parquet'] as const;
type Format = (typeof ALL_FORMATS)[number];
type Container = (typeof ALL_CONTAINERS)[number];
const pick = <T extends string>(env: string | undefined, all: readonly T[]): T[] =>
  env ? all.filter((x) => env.split(',').includes(x)) : [...all];
const FORMATS = pick(process.env.BENCH_IMPORT_FORMATS, ALL_FORMATS);
const CONTAINERS = pick(process.env.BENCH_IMPORT_CONTAINERS, ALL_CONTAINERS);

const FILLER = 'The quick brown fox jumps over the lazy dog while the model explains its reasoning. ';
const promptText = (i: number) => `Question ${i}: ${FILLER}How should this be answered?`;
const responseText = (i: number, j: number) =>
  `Answer ${j} to ${i}. ${FILLER}${FILLER.slice(0, 40 + ((i * 7 + j * 13) % 40))}`;
const PAIRWISE = new Set<Format>(['hh-rlhf', 'binarized', 'openai-chat']);
const responsesPerRow = (format: Format) => (PAIRWISE.has(format) ? 2 : RESPONSES);

/** Row i of a dataset in `format`, shaped as the public datasets of that format are. */
function row(format: Format, i: number): Record<string, unknown> {
  const prompt = promptText(i);
  const a = responseText(i, 0);
  const b = responseText(i, 1);
  switch (format) {
    case 'borda':
      return {
        id: `p${i}`,
        prompt,
        metadata: { split: i % 10 },
        responses: Array.from({ length: RESPONSES }, (_, j) => ({ text: responseText(i, j), model: `model-${j % 4}` })),
      };
    case 'ultrafeedback':
      return {
        source: 'bench',
        instruction: prompt,
        completions: Array.from({ length: RESPONSES }, (_, j) => ({
          model: `model-${j % 4}`,
          response: responseText(i, j),
          overall_score: (i + j) % 10,
        })),
      };
    case 'hh-rlhf':
      return { chosen: `\n\nHuman: ${prompt}\n\nAssistant: ${a}`, rejected: `\n\nHuman: ${prompt}\n\nAssistant: ${b}` };
    case 'binarized':
      return {
        prompt,
        prompt_id: `b${i}`,
        chosen: [
          { role: 'user', content: prompt },
          { role: 'assistant', content: a },
        ],
        rejected: [
          { role: 'user', content: prompt },
          { role: 'assistant', content: b },
        ],
        score_chosen: 8,
        score_rejected: 3,
      };
    case 'openai-chat':
      return {
        input: { messages: [{ role: 'user', content: prompt }] },
        preferred_output: [{ role: 'assistant', content: a }],
        non_preferred_output: [{ role: 'assistant', content: b }],
      };
    case 'plain':
      return { prompt, responses: Array.from({ length: RESPONSES }, (_, j) => responseText(i, j)) };
  }
}

function jsonlBody(format: Format): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < PROMPTS; i++) parts.push(`${JSON.stringify(row(format, i))}\n`);
  return Buffer.from(parts.join(''));
}

async function parquetBody(format: Format): Promise<Buffer> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const rows = Array.from({ length: PROMPTS }, (_, i) => row(format, i));
  const columns = Object.keys(rows[0]);
  const buffer = parquetWriteBuffer({
    columnData: columns.map((name) => ({ name, data: rows.map((r) => r[name] ?? null) })),
    rowGroupSize: 10_000,
  } as Parameters<typeof parquetWriteBuffer>[0]);
  return Buffer.from(buffer);
}

const CONTENT_TYPE: Record<Container, string> = {
  jsonl: 'application/x-ndjson',
  gzip: 'application/gzip',
  parquet: 'application/vnd.apache.parquet',
};

/** Kilobytes from a /proc/<pid>/status field (VmHWM: the peak resident set since the last reset). */
function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
}

/** Resets VmHWM to the current RSS (Linux clear_refs 5), so each case reports its own peak. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function post(url: string, token: string, body: Buffer, type: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': type, 'content-length': String(body.length) },
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function createCampaign(service: RunningService, token: string, name: string): Promise<string> {
  const res = await fetch(`${service.url}/campaigns`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, strategy: 'ae-borda', budget: 1000 }),
  });
  if (res.status !== 201) throw new Error(`creating the campaign failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

interface Case {
  readonly format: Format;
  readonly container: Container;
  readonly bodyMb: number;
  readonly seconds: number;
  readonly peakMb: number;
  readonly error?: string;
}

async function importCase(service: RunningService, token: string, format: Format, container: Container): Promise<Case> {
  const jsonl = jsonlBody(format);
  const body = container === 'jsonl' ? jsonl : container === 'gzip' ? gzipSync(jsonl) : await parquetBody(format);
  const campaignId = await createCampaign(service, token, `${format} ${container}`);
  global.gc?.();
  const reset = resetPeak(service.pids.api);
  const started = performance.now();
  const res = await post(
    `${service.url}/campaigns/${campaignId}/imports?format=${format}`,
    token,
    body,
    CONTENT_TYPE[container],
  );
  const seconds = (performance.now() - started) / 1000;
  const peakMb = reset ? procStatusKb(service.pids.api, 'VmHWM') / 1024 : NaN;
  const base = { format, container, bodyMb: body.length / 1024 ** 2, seconds, peakMb };
  if (res.status !== 201) return { ...base, error: `${res.status} ${res.text.slice(0, 200)}` } satisfies Case;
  const { rows } = await service.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM responses WHERE campaign_id = $1',
    [campaignId],
  );
  const expected = PROMPTS * responsesPerRow(format);
  if (rows[0].n !== expected) return { ...base, error: `expected ${expected} responses, found ${rows[0].n}` };
  return base satisfies Case;
}

export async function run(): Promise<void> {
  const service = await startService({});
  const cases: Case[] = [];
  try {
    const researcher = await service.createUser('researcher');
    // The baseline first: Borda JSONL, the native path every adapter maps into.
    const order = [
      ['borda', 'jsonl'] as const,
      ...FORMATS.flatMap((f) => CONTAINERS.map((c) => [f, c] as const)).filter(
        ([f, c]) => !(f === 'borda' && c === 'jsonl'),
      ),
    ];
    for (const [format, container] of order) {
      const result = await importCase(service, researcher.token, format, container).catch((e: Error): Case => ({
        format,
        container,
        bodyMb: NaN,
        seconds: NaN,
        peakMb: NaN,
        error: e.message,
      }));
      cases.push(result);
      console.log(
        `${format} ${container}: ${result.error ? `FAILED ${result.error}` : `${result.seconds.toFixed(2)} s`}`,
      );
    }
  } finally {
    await service.stop();
  }
  const baseline = cases[0].seconds;
  const table = new Table({
    head: [
      'format',
      'container',
      'rows × responses',
      'body MB',
      'time s',
      'rows/s',
      'API peak RSS MB',
      'vs borda jsonl',
    ],
  });
  for (const c of cases) {
    const size = `${PROMPTS.toLocaleString('en-US')} × ${responsesPerRow(c.format)}`;
    if (c.error) {
      table.push([c.format, c.container, size, '—', '—', '—', '—', `failed: ${c.error.slice(0, 60)}`]);
      continue;
    }
    table.push([
      c.format,
      c.container,
      size,
      c.bodyMb.toFixed(1),
      c.seconds.toFixed(2),
      Math.round(PROMPTS / c.seconds).toLocaleString('en-US'),
      c.peakMb.toFixed(0),
      `${(c.seconds / baseline).toFixed(2)}×`,
    ]);
  }
  console.log(table.toString());
}
