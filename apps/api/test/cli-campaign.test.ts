/**
 * `borda campaign create|import|start|status|export` against the real API and workers: the CLI's
 * `main` in-process (its progress bars drawn on a fake terminal), and once through the built bin.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { EXPORT_FORMATS, IMPORT_FORMATS } from '@borda/api-contract';
import { CAMPAIGN_EXPORT_FORMATS, CAMPAIGN_IMPORT_FORMATS, main } from '@borda/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser, waitFor } from './support/harness';
import { EXPECTED, FIXTURES, fromOpenai, fromTrlConversational, key, STORED } from './support/import-expectations';

const ROOT = resolve(__dirname, '../../..');
const RANK: Record<string, number> = { careful: 3, short: 2, refusal: 1 };
const rank = (text: string) => RANK[text.split(' ')[0]] ?? 0;

function promptLine(id: string) {
  return JSON.stringify({
    id,
    prompt: `Question ${id}?`,
    responses: [`careful answer to ${id}`, `short answer to ${id}`, `refusal to answer ${id}`],
  });
}

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY = false) {
    super();
  }
  columns = 100;
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

describe('borda campaign', () => {
  let app: TestApp;
  let researcher: TestUser;
  let labeler: TestUser;
  let dir: string;

  beforeAll(async () => {
    app = await startTestApp({ workers: true });
    researcher = await app.createUser('researcher');
    labeler = await app.createUser('labeler');
    dir = mkdtempSync(join(tmpdir(), 'borda-cli-'));
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await app?.close();
  });

  /** Runs the CLI in-process; `tty` draws the progress bars on a fake terminal. */
  async function cli(args: string[], options: { tty?: boolean; env?: Record<string, string> } = {}) {
    const stdout = new Capture();
    const stderr = new Capture(options.tty ?? false);
    const env = options.env ?? { BORDA_URL: app.url, BORDA_TOKEN: researcher.token };
    const code = await main(args, { stdout, stderr, cwd: dir, env });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return name;
  };

  async function label(campaignId: string, count: number) {
    for (let i = 0; i < count; i++) {
      const lease = await waitFor(
        async () => (await app.post(`/campaigns/${campaignId}/next`, {}, labeler.token)).body.assignment,
        60_000,
        'a comparison to label',
      );
      const choice = rank(lease.left.text) > rank(lease.right.text) ? 'A' : 'B';
      const submit = await app.post(
        `/assignments/${lease.id}/submit`,
        { choice, strength: 3, idempotencyKey: `cli-${i}` },
        labeler.token,
      );
      expect(submit.status, submit.text).toBe(201);
    }
  }

  it('creates, imports, starts, reports and exports a campaign', { timeout: 180_000 }, async () => {
    const config = file(
      'campaign.json',
      JSON.stringify({ strategy: 'ae-borda', name: 'from config', batchSize: 4, bufferSize: 8, featureDim: 16 }),
    );
    const created = await cli([
      'campaign',
      'create',
      '--config',
      config,
      '--name',
      'CLI loop',
      '--budget',
      '40',
      '--labelers',
      labeler.id,
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const id = JSON.parse(created.stdout).id as string;
    const stored = await app.get(`/campaigns/${id}`, researcher.token);
    // Flags override the config file; the rest of the file is kept.
    expect(stored.body).toMatchObject({ name: 'CLI loop', budget: 40, strategy: 'ae-borda', batchSize: 4 });
    expect(stored.body.labelerIds).toEqual([labeler.id]);

    const bad = file('bad.jsonl', `${promptLine('ok')}\n{"id":"lonely","prompt":"Hi?","responses":["one"]}\n{oops\n`);
    const dry = await cli(['campaign', 'import', id, bad, '--dry-run']);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('dry run: 3 line(s) read');
    expect(dry.stdout).toMatch(/line 2, responses: .*\[INVALID_FIELD\]/);
    expect(dry.stdout).toMatch(/line 3.*\[INVALID_JSON\]/);
    expect(dry.stderr).toContain('IMPORT_INVALID');

    const refused = await cli(['campaign', 'import', id, bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/IMPORT_INVALID: 2 problem\(s\) on line\(s\) 2, 3/);
    expect(refused.stderr).toMatch(/line 2, responses: /);
    expect((await app.get(`/campaigns/${id}`, researcher.token)).body.promptCount).toBe(0);

    const good = file('good.jsonl', ['a', 'b', 'c', 'd'].map(promptLine).join('\n') + '\n');
    const imported = await cli(['campaign', 'import', id, good], { tty: true });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('imported 4 prompt(s), 12 response(s)');
    expect(imported.stderr).toContain('upload [');
    expect(imported.stderr).toContain('100%');

    const started = await cli(['campaign', 'start', id]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain('CLI loop');
    expect(started.stdout).toContain('active');

    await label(id, 3);
    const status = await cli(['campaign', 'status', id]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/labels\s+3 of 40 \(8%\)/);
    expect(status.stdout).toMatch(/prompts\s+4, responses 12/);
    expect(status.stdout).toContain('model        none yet');
    const watched = await cli(['campaign', 'status', id, '--watch', '--until-labels', '3', '--interval', '0.1'], {
      tty: true,
    });
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stderr).toMatch(/labels \[.*\] 3\/3 \| active/);
    const late = await cli([
      'campaign',
      'status',
      id,
      '--watch',
      '--until-labels',
      '30',
      '--interval',
      '0.1',
      '--timeout',
      '0.5',
    ]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('TIMEOUT: 3 of 30 labels after 0.5 s');
    const statusJson = JSON.parse((await cli(['campaign', 'status', id, '--json'])).stdout);
    expect(statusJson.campaign).toMatchObject({ id, status: 'active', labelCount: 3 });

    const exported = await cli(['campaign', 'export', id, '--format', 'trl', '--margin', '--out', 'trl.jsonl'], {
      tty: true,
    });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('wrote 3 line(s)');
    expect(exported.stderr).toContain('download trl');
    const rows = readFileSync(join(dir, 'trl.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(rank(row.chosen)).toBeGreaterThan(rank(row.rejected));
      expect(row.margin).toBe(1);
    }
    const openai = await cli([
      'campaign',
      'export',
      id,
      '--format',
      'openai',
      '--aggregate',
      'majority',
      '--out',
      'o.jsonl',
    ]);
    expect(openai.code, openai.stderr).toBe(0);
    const line = JSON.parse(readFileSync(join(dir, 'o.jsonl'), 'utf8').split('\n')[0]);
    expect(rank(line.preferred_output[0].content)).toBeGreaterThan(rank(line.non_preferred_output[0].content));

    // The built bin, with the URL and token from the environment.
    const bin = await new Promise<{ code: number | null; out: string }>((done) => {
      const child = spawn(process.execPath, [join(ROOT, 'apps/cli/bin/borda.js'), 'campaign', 'status', id, '--json'], {
        env: { ...process.env, BORDA_URL: app.url, BORDA_TOKEN: researcher.token },
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      child.on('close', (code) => done({ code, out }));
    });
    expect(bin.code, bin.out).toBe(0);
    expect(JSON.parse(bin.out).campaign.labelCount).toBe(3);
  });

  it(
    'imports each external format (JSONL, gzip, Parquet) and round-trips it to TRL and OpenAI',
    {
      timeout: 180_000,
    },
    async () => {
      expect(CAMPAIGN_EXPORT_FORMATS).toEqual(EXPORT_FORMATS);
      expect(CAMPAIGN_IMPORT_FORMATS).toEqual(['auto', ...IMPORT_FORMATS]);
      // Each format once, named or detected, in each container.
      const cases = [
        { format: 'ultrafeedback', file: 'ultrafeedback.jsonl', named: true },
        { format: 'hh-rlhf', file: 'hh-rlhf.parquet', named: false },
        { format: 'binarized', file: 'binarized.jsonl.gz', named: true },
        { format: 'openai-chat', file: 'openai-chat.jsonl', named: false },
        { format: 'plain', file: 'plain.parquet', named: true },
      ];
      const lines = (name: string) =>
        readFileSync(join(dir, name), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l));
      const create = async (name: string) => {
        const created = await cli(['campaign', 'create', '--name', name, '--budget', '10']);
        expect(created.code, created.stderr).toBe(0);
        return created.stdout.trim();
      };
      for (const { format, file: name, named } of cases) {
        const id = await create(`${format} import`);
        const expected = EXPECTED[format]();
        const imported = await cli([
          'campaign',
          'import',
          id,
          join(FIXTURES, name),
          ...(named ? ['--format', format] : []),
          '--json',
        ]);
        expect(imported.code, `${name}: ${imported.stderr}`).toBe(0);
        expect(JSON.parse(imported.stdout)).toMatchObject({
          format,
          promptCount: STORED[format]().length,
          judgmentCount: expected.length,
        });
        for (const to of ['trl-conversational', 'openai'] as const) {
          const out = await cli(['campaign', 'export', id, '--format', to, '--out', `${format}-${to}.jsonl`]);
          expect(out.code, out.stderr).toBe(0);
          expect(out.stdout).toContain(`wrote ${expected.length} line(s)`);
          const read = lines(`${format}-${to}.jsonl`).map(to === 'openai' ? fromOpenai : fromTrlConversational);
          expect(read.map(key).sort(), `${format} → ${to}`).toEqual(expected.map(key).sort());
        }
      }

      // --no-judgments leaves the preferences out; --as-gold stores them as gold too.
      const bare = await create('no judgments');
      const skipped = await cli(['campaign', 'import', bare, join(FIXTURES, 'hh-rlhf.jsonl'), '--no-judgments']);
      expect(skipped.code, skipped.stderr).toBe(0);
      expect(skipped.stdout).toBe('imported 3 prompt(s), 6 response(s); the campaign holds 3 prompt(s)\n');
      expect((await app.db.query('SELECT 1 FROM labels WHERE campaign_id = $1', [bare])).rowCount).toBe(0);
      const gold = await create('as gold');
      const golden = await cli(['campaign', 'import', gold, join(FIXTURES, 'binarized.jsonl'), '--as-gold']);
      expect(golden.code, golden.stderr).toBe(0);
      expect(golden.stdout).toContain('; 3 imported judgment(s)');
      const goldRows = await app.db.query(
        `SELECT gold_source FROM comparisons WHERE campaign_id = $1 AND gold_response_id IS NOT NULL`,
        [gold],
      );
      expect(goldRows.rows.map((r) => r.gold_source)).toEqual(['imported', 'imported', 'imported']);
      const both = await cli([
        'campaign',
        'import',
        gold,
        join(FIXTURES, 'binarized.jsonl'),
        '--as-gold',
        '--no-judgments',
      ]);
      expect(both.code).toBe(2);

      // KTO, Parquet and the dataset card of an export.
      const kto = await cli(['campaign', 'export', gold, '--format', 'kto', '--out', 'kto.jsonl']);
      expect(kto.code, kto.stderr).toBe(0);
      expect(lines('kto.jsonl').map((l) => l.label)).toEqual(expect.arrayContaining([true, false]));
      const parquet = await cli([
        'campaign',
        'export',
        gold,
        '--format',
        'trl',
        '--file',
        'parquet',
        '--out',
        't.parquet',
      ]);
      expect(parquet.code, parquet.stderr).toBe(0);
      expect(parquet.stdout).toMatch(/^wrote [\d.]+ (B|KiB) to t\.parquet\n$/);
      const bytes = readFileSync(join(dir, 't.parquet'));
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('PAR1');
      expect(bytes.subarray(-4).toString('latin1')).toBe('PAR1');
      const card = await cli(['campaign', 'export', gold, '--format', 'openai', '--card', '--out', 'README.md']);
      expect(card.code, card.stderr).toBe(0);
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      expect(readme).toContain('# as gold');
      expect(readme.toLowerCase()).toContain('openai');
    },
  );

  it('refuses bad input with exit code 2 and reports API errors with exit code 1', async () => {
    const noToken = await cli(['campaign', 'status', 'x'], { env: { BORDA_URL: app.url } });
    expect(noToken).toMatchObject({ code: 2 });
    expect(noToken.stderr).toContain('no API token');
    const badBudget = await cli(['campaign', 'create', '--name', 'x', '--budget', 'lots']);
    expect(badBudget.code).toBe(2);
    expect(badBudget.stderr).toContain("expected a whole number, got 'lots'");
    const noBudget = await cli(['campaign', 'create', '--name', 'x']);
    expect(noBudget.code).toBe(2);
    expect(noBudget.stderr).toContain('needs a budget');
    const badConfig = await cli(['campaign', 'create', '--config', file('broken.json', '{nope')]);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('is not JSON');
    const badFormat = await cli(['campaign', 'export', 'x', '--format', 'csv', '--out', 'x.csv']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('csv');
    const marginOpenai = await cli(['campaign', 'export', 'x', '--format', 'openai', '--margin', '--out', 'x']);
    expect(marginOpenai.code).toBe(2);
    const missingFile = await cli(['campaign', 'import', 'x', 'missing.jsonl']);
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain("no file 'missing.jsonl'");
    const badUrl = await cli(['campaign', 'status', 'x', '--api', 'localhost:3000']);
    expect(badUrl.code).toBe(2);

    const unknown = await cli(['campaign', 'status', '00000000-0000-4000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NOT_FOUND');
    const invalid = await cli(['campaign', 'create', '--name', 'x', '--budget', '0']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('VALIDATION_FAILED');
    const wrongToken = await cli(['campaign', 'status', 'x', '--token', 'borda_not-a-token']);
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toContain('UNAUTHENTICATED');
    const down = await cli(['campaign', 'status', 'x', '--api', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('CONNECTION_FAILED');
  });
});
