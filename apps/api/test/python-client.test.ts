/**
 * The Python client (clients/python) against the real API: this file starts the service with its
 * workers, makes a researcher and a labeler, and runs the client's unittest suite with the machine's
 * python3, which walks the whole researcher loop (create, import, start, label, watch, export, policy).
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';

const ROOT = resolve(__dirname, '../../..');
const PYTHON = process.env.PYTHON ?? 'python3';

/** Runs a process without blocking this one: the API it talks to answers from this event loop. */
function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number) {
  return new Promise<{ code: number | null; output: string }>((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe('the Python client', () => {
  let app: TestApp;
  let researcher: TestUser;
  let labeler: TestUser;

  beforeAll(async () => {
    const version = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' });
    if (version.error || version.status !== 0) {
      throw new Error(
        `'${PYTHON}' could not be run (${version.error?.message ?? version.stderr}): the Python client's tests ` +
          'need Python 3.8 or newer on PATH (or PYTHON=/path/to/python3)',
      );
    }
    app = await startTestApp({ workers: true });
    researcher = await app.createUser('researcher');
    labeler = await app.createUser('labeler');
  });
  afterAll(() => app?.close());

  it('passes its unittest suite against the running API', { timeout: 300_000 }, async () => {
    const { code, output } = await run(
      PYTHON,
      ['-m', 'unittest', 'discover', '-s', 'clients/python/tests', '-v'],
      {
        BORDA_URL: app.url,
        BORDA_TOKEN: researcher.token,
        BORDA_LABELER_TOKEN: labeler.token,
        BORDA_EMAIL: researcher.email,
        BORDA_PASSWORD: researcher.password,
        BORDA_REQUIRE_API: '1',
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONUNBUFFERED: '1',
      },
      280_000,
    );
    expect(code, output).toBe(0);
    // Every test ran: a skipped one (a missing variable) would leave the loop untested.
    expect(output, output).toMatch(/^Ran [1-9]\d* tests? in /m);
    expect(output, output).toMatch(/^OK$/m);
    expect(output, output).toContain('test_researcher_loop');
  });
});
