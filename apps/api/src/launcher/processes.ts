/**
 * The API and worker child processes of `npm start`. A worker that dies is restarted (with a
 * growing delay); the API dying ends the launcher, since nothing can be served without it.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface Supervised {
  readonly name: string;
  stop(): Promise<void>;
}

export function supervise(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  options: { restart: boolean; onExit?: (code: number | null) => void; log: (line: string) => void },
): Supervised {
  let child: ChildProcess | null = null;
  let stopping = false;
  let failures = 0;
  const launch = () => {
    const started = Date.now();
    child = spawn(process.execPath, [script], { env, stdio: 'inherit' });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      options.log(`${name} exited (${signal ?? `code ${code}`})`);
      if (!options.restart) {
        options.onExit?.(code);
        return;
      }
      failures = Date.now() - started > 60_000 ? 1 : failures + 1;
      const delay = Math.min(30_000, 500 * 2 ** failures);
      options.log(`restarting ${name} in ${delay} ms`);
      setTimeout(() => !stopping && launch(), delay).unref();
    });
  };
  launch();
  return {
    name,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        const current = child;
        if (!current || current.exitCode !== null || current.signalCode !== null) return resolve();
        current.once('exit', () => resolve());
        current.kill('SIGTERM');
        setTimeout(() => current.kill('SIGKILL'), 15_000).unref();
      }),
  };
}

export async function waitForHttp(url: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('the API process exited while starting');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
