import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main';

const dir = mkdtempSync(join(tmpdir(), 'borda-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

async function borda(...args: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const SMALL = ['simulate', '--env', 'branin', '--grid-size', '6', '--budget', '24', '--batch', '4', '--seeds', '2'];
const STRATEGIES = ['--strategies', 'ae-borda,uniform,apo'];

interface ResultsFile {
  config: { budget: number; batchSize: number; strategies: string[]; seeds: number };
  environment: { name: string; prompts: number; epsilon: number };
  epsilon: number;
  strategies: Record<
    string,
    {
      modelKind: string;
      aggregate: { labels: number[]; subOptMax: { mean: number[]; halfWidth: number[] } };
      final: { subOptMax: { mean: number; halfWidth: number } };
      labelsToEpsilon: { perSeed: (number | null)[]; meanCurve: number | null };
      labelEfficiencyRatio: number | null;
      runs: {
        seed: number;
        curve: { labels: number[]; subOptMax: number[]; subOptMean: number[] };
        finalPolicy: number[];
        wallTimeMs: number;
      }[];
    }
  >;
  wallTimeMs: number;
}

const deterministicPart = (r: ResultsFile) =>
  Object.fromEntries(
    Object.entries(r.strategies).map(([k, s]) => [
      k,
      s.runs.map((run) => ({ seed: run.seed, curve: run.curve, policy: run.finalPolicy })),
    ]),
  );

describe('borda simulate', () => {
  it('runs end to end and writes results.json, curves.csv and regret.svg', async () => {
    const out = join(dir, 'run1');
    const r = await borda(...SMALL, ...STRATEGIES, '--workers', '2', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/final SubOpt_max/);
    expect(r.stdout).toMatch(/ae-borda .*borda-gp/);
    expect(r.stdout).toMatch(/apo .*linear-bt/);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    expect(results.config).toMatchObject({
      budget: 24,
      batchSize: 4,
      seeds: 2,
      strategies: ['ae-borda', 'uniform', 'apo'],
    });
    expect(results.environment).toMatchObject({ name: 'branin', prompts: 6 });
    expect(results.epsilon).toBeCloseTo(0.3, 12);
    expect(Object.keys(results.strategies)).toEqual(['ae-borda', 'uniform', 'apo']);
    const ae = results.strategies['ae-borda'];
    expect(ae.runs.map((x) => x.seed)).toEqual([1, 2]);
    expect(ae.aggregate.labels).toEqual([0, 12, 20, 24]);
    const finals = ae.runs.map((x) => x.curve.subOptMax[3]);
    expect(ae.final.subOptMax.mean).toBeCloseTo((finals[0] + finals[1]) / 2, 12);
    expect(results.strategies.uniform.labelEfficiencyRatio).toBeLessThanOrEqual(1);
    expect(results.wallTimeMs).toBeGreaterThan(0);

    const csv = readFileSync(join(out, 'curves.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('strategy,seed,labels,subopt_max,subopt_mean');
    expect(csv).toHaveLength(1 + 3 * 2 * 4);
    const row = csv.find((l) => l.startsWith('ae-borda,2,24,'))!.split(',');
    expect(Number(row[3])).toBe(ae.runs[1].curve.subOptMax[3]);

    const svg = readFileSync(join(out, 'regret.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<path');
    expect(svg).toContain('SubOpt_max');
    expect(svg).toContain('SubOpt_mean');
    expect(svg).toContain('ae-borda');
  });

  it('gives identical results with 1 and 2 workers', async () => {
    const runWith = async (workers: string) => {
      const out = join(dir, `w${workers}`);
      const r = await borda(...SMALL, ...STRATEGIES, '--seeds', '3', '--workers', workers, '--out', out, '--quiet');
      expect(r.code).toBe(0);
      return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    };
    const one = await runWith('1');
    const two = await runWith('2');
    expect(deterministicPart(two)).toEqual(deterministicPart(one));
    expect(two.strategies['ae-borda'].aggregate).toEqual(one.strategies['ae-borda'].aggregate);
  });

  it('loads a custom JSON environment file', async () => {
    const env = {
      prompts: Array.from({ length: 4 }, (_, p) => ({
        responses: Array.from({ length: 3 }, (_, k) => ({ features: [p / 3, k / 2], reward: k === p % 3 ? 1 : -1 })),
      })),
    };
    writeFileSync(join(dir, 'env.json'), JSON.stringify(env));
    const r = await borda(
      'simulate',
      '--env',
      'env.json',
      '--budget',
      '12',
      '--seeds',
      '1',
      '--strategies',
      'uniform',
      '--out',
      'custom',
      '--quiet',
    );
    expect(r.code).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'custom', 'results.json'), 'utf8')) as ResultsFile;
    expect(results.environment).toMatchObject({ name: 'custom', prompts: 4 });
  });

  describe('refuses bad input with exit code 2, a named problem and no stack trace', () => {
    writeFileSync(
      join(dir, 'nan.cjs'),
      'module.exports = { prompts: ["a"], features: [[[1], [NaN]]], reward: [[0, 1]] };',
    );
    writeFileSync(
      join(dir, 'ragged.json'),
      JSON.stringify({
        prompts: [
          {
            responses: [
              { features: [1, 2], reward: 0 },
              { features: [1], reward: 1 },
            ],
          },
        ],
      }),
    );
    writeFileSync(
      join(dir, 'single.json'),
      JSON.stringify({ prompts: [{ responses: [{ features: [1], reward: 0 }] }] }),
    );
    writeFileSync(join(dir, 'broken.cjs'), 'module.exports = {');
    const cases: [string, string[], RegExp][] = [
      [
        'unknown strategy',
        ['--strategies', 'ae-borda,best'],
        /unknown strategy 'best'; valid names: .*\bae-borda, uniform/,
      ],
      ['unknown environment', ['--env', 'moon'], /unknown environment 'moon'; valid names: branin/],
      ['missing file', ['--env', 'nothing.json'], /environment file 'nothing.json' does not exist/],
      ['NaN features', ['--env', 'nan.cjs'], /nan.cjs: prompt 0, response 1, features\[0\]: .*NaN/],
      [
        'ragged features',
        ['--env', 'ragged.json'],
        /ragged.json: prompt 0, response 1: features has 1 values, expected 2/,
      ],
      ['one response', ['--env', 'single.json'], /single.json: prompt 0 has 1 response\(s\)/],
      ['broken module', ['--env', 'broken.cjs'], /broken.cjs: the module failed to load/],
      ['budget below batch', ['--budget', '8', '--batch', '16'], /budget \(8\) is smaller than the batch size \(16\)/],
      ['zero seeds', ['--seeds', '0'], /seeds must be a positive integer \(a count\), got 0/],
      ['zero beta', ['--beta', '0'], /beta must be a positive number, got 0/],
      ['negative beta', ['--beta=-2'], /beta must be a positive number, got -2/],
      ['non-numeric budget', ['--budget', 'lots'], /--budget.*expected an integer, got 'lots'/],
      ['unknown option', ['--bugdet', '5'], /unknown option '--bugdet'/],
    ];
    it.each(cases)('%s', async (_name, args, message) => {
      const r = await borda('simulate', '--budget', '20', '--out', 'never', ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
      expect(existsSync(join(dir, 'never', 'results.json'))).toBe(false);
    });
  });

  const bin = resolve(__dirname, '..', 'bin', 'borda.js');
  it.skipIf(!existsSync(resolve(__dirname, '..', 'dist', 'main.js')))('the built bin exits 2 on bad input', () => {
    const r = spawnSync(process.execPath, [bin, 'simulate', '--strategies', 'nope', '--budget', '5'], {
      encoding: 'utf8',
      cwd: dir,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/borda: unknown strategy 'nope'/);
  });
});
