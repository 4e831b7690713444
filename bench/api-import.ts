/**
 * JSONL import of 100,000 prompts × 8 responses through the built API (apps/api/dist, `npm run
 * build` first): the body is generated on the fly and streamed (chunked), so neither side of the
 * benchmark holds the file. Reported beside a baseline that inserts the same rows straight into
 * Postgres from this process (column arrays + unnest INSERT in one transaction), i.e. the floor
 * of what any atomic import can cost on this machine; the ratio is the price of HTTP, JSON parsing,
 * validation and the service's bookkeeping.
 *
 * Standalone: `node --conditions=borda-source --import tsx -e "require('./bench/api-import').run()"`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import Table from 'cli-table3';
import type { PoolClient } from 'pg';
import { type RunningService, startService } from './support/service';

const PROMPTS = Number(process.env.BENCH_IMPORT_PROMPTS ?? 100_000);
const RESPONSES = 8;
const CAPPED_HEAP_MB = 256;
const FILLER = 'The quick brown fox jumps over the lazy dog while the model explains its reasoning. ';

function promptText(i: number): string {
  return `Question ${i}: ${FILLER}How should this be answered?`;
}

function responseText(i: number, j: number): string {
  return `Answer ${j} to ${i}. ${FILLER}${FILLER.slice(0, 40 + ((i * 7 + j * 13) % 40))}`;
}

function line(i: number): string {
  const responses = Array.from({ length: RESPONSES }, (_, j) => ({
    text: responseText(i, j),
    model: `model-${j % 4}`,
    ref_logprob: -10 - ((i + j) % 50) / 10,
  }));
  return JSON.stringify({ id: `p${i}`, prompt: promptText(i), metadata: { split: i % 10 }, responses }) + '\n';
}

/** Kilobytes from a /proc/<pid>/status field (VmHWM: the peak resident set since start). */
function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
}

/** Streams the generated JSONL with backpressure; resolves with the status and parsed body. */
function streamImport(url: string, token: string): Promise<{ status: number; body: unknown; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
    });
    let bytes = 0;
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, bytes });
      });
    });
    req.on('error', reject);
    let i = 0;
    const write = () => {
      while (i < PROMPTS) {
        let chunk = '';
        for (let k = 0; k < 64 && i < PROMPTS; k++, i++) chunk += line(i);
        bytes += Buffer.byteLength(chunk);
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
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

/** The same rows, built in this process and inserted with unnest() in one transaction. */
async function baselineInsert(client: PoolClient, campaignId: string): Promise<void> {
  const CHUNK = 5_000;
  await client.query('BEGIN');
  for (let start = 0; start < PROMPTS; start += CHUNK) {
    const end = Math.min(start + CHUNK, PROMPTS);
    const p = {
      id: [] as string[],
      ext: [] as string[],
      ord: [] as number[],
      text: [] as string[],
      meta: [] as string[],
    };
    const r = {
      id: [] as string[],
      prompt: [] as string[],
      ord: [] as number[],
      text: [] as string[],
      model: [] as string[],
      lp: [] as number[],
    };
    for (let i = start; i < end; i++) {
      const promptId = randomUUID();
      p.id.push(promptId);
      p.ext.push(`p${i}`);
      p.ord.push(i);
      p.text.push(promptText(i));
      p.meta.push(JSON.stringify({ split: i % 10 }));
      for (let j = 0; j < RESPONSES; j++) {
        r.id.push(randomUUID());
        r.prompt.push(promptId);
        r.ord.push(j);
        r.text.push(responseText(i, j));
        r.model.push(`model-${j % 4}`);
        r.lp.push(-10 - ((i + j) % 50) / 10);
      }
    }
    await client.query(
      `INSERT INTO prompts (id, campaign_id, external_id, ordinal, text, metadata)
       SELECT t.id, $1::uuid, t.e, t.o, t.t, t.m FROM unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $6::jsonb[]) AS t(id, e, o, t, m)`,
      [campaignId, p.id, p.ext, p.ord, p.text, p.meta],
    );
    await client.query(
      `INSERT INTO responses (id, campaign_id, prompt_id, ordinal, text, source_model, reference_logprob)
       SELECT t.id, $1::uuid, t.p, t.o, t.t, t.m, t.l FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::float8[]) AS t(id, p, o, t, m, l)`,
      [campaignId, r.id, r.prompt, r.ord, r.text, r.model, r.lp],
    );
  }
  await client.query('UPDATE campaigns SET prompt_count = $2, response_count = $3 WHERE id = $1', [
    campaignId,
    PROMPTS,
    PROMPTS * RESPONSES,
  ]);
  await client.query('COMMIT');
}

interface ApiRun {
  readonly seconds: number;
  readonly bytes: number;
  readonly peakMb: number;
  readonly idleMb: number;
}

/** One import through the API; `baseline` (when given) then runs on the same database. */
async function importThroughApi(
  env: Record<string, string>,
  baseline?: (s: RunningService, token: string) => Promise<void>,
) {
  const service = await startService({ env });
  try {
    const researcher = await service.createUser('researcher');
    const campaignId = await createCampaign(service, researcher.token, 'import bench');
    const idleMb = procStatusKb(service.pids.api, 'VmRSS') / 1024;
    const started = performance.now();
    const res = await streamImport(`${service.url}/campaigns/${campaignId}/imports`, researcher.token);
    const seconds = (performance.now() - started) / 1000;
    if (res.status !== 201) throw new Error(`import failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    const peakMb = procStatusKb(service.pids.api, 'VmHWM') / 1024;
    const { rows } = await service.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM responses WHERE campaign_id = $1',
      [campaignId],
    );
    if (rows[0].n !== PROMPTS * RESPONSES)
      throw new Error(`expected ${PROMPTS * RESPONSES} responses, found ${rows[0].n}`);
    await baseline?.(service, researcher.token);
    return { seconds, bytes: res.bytes, peakMb, idleMb } satisfies ApiRun;
  } finally {
    await service.stop();
  }
}

export async function run(): Promise<void> {
  let baselineSeconds = NaN;
  const measured = await importThroughApi({}, async (service, token) => {
    const campaignId = await createCampaign(service, token, 'import baseline');
    const client = await service.db.connect();
    const started = performance.now();
    try {
      await baselineInsert(client, campaignId);
    } finally {
      client.release();
    }
    baselineSeconds = (performance.now() - started) / 1000;
  });
  // The same import with V8's heap capped: it still succeeds, so memory is bounded by the chunk
  // size, and the default run's peak is V8 collecting lazily, not data kept.
  const capped = await importThroughApi({ NODE_OPTIONS: `--max-old-space-size=${CAPPED_HEAP_MB}` });

  const table = new Table({
    head: ['path', 'prompts × responses', 'body MB', 'time s', 'prompts/s', 'API peak RSS MB', 'vs baseline'],
  });
  const size = `${PROMPTS.toLocaleString('en-US')} × ${RESPONSES}`;
  const row = (label: string, r: ApiRun) => [
    label,
    size,
    (r.bytes / 1024 ** 2).toFixed(1),
    r.seconds.toFixed(2),
    Math.round(PROMPTS / r.seconds).toLocaleString('en-US'),
    `${r.peakMb.toFixed(0)} (idle ${r.idleMb.toFixed(0)})`,
    `${(r.seconds / baselineSeconds).toFixed(2)}×`,
  ];
  table.push(
    row('API: streamed JSONL → validate → 1 transaction', measured),
    row(`same, API heap capped at ${CAPPED_HEAP_MB} MB`, capped),
    [
      'baseline: pg unnest INSERT from the client, 1 transaction',
      size,
      '—',
      baselineSeconds.toFixed(2),
      Math.round(PROMPTS / baselineSeconds).toLocaleString('en-US'),
      '—',
      '1.00×',
    ],
  );
  console.log(table.toString());
}
