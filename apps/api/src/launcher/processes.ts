/**
 * Supervision of everything `npm start` runs: API replicas, workers, the managed redis-server and
 * the embedded PostgreSQL. A process that exits without being asked to is started again after a
 * delay that doubles from 0.5 s up to 10 s while it keeps failing, and drops back to 0.5 s once
 * a run lasted 30 s (a crash after a healthy stretch is an accident, not a loop). Each exit is
 * logged with its code or signal and the next delay. Once stopped (launcher shutdown), nothing
 * restarts.
 */
import type { ChildProcess } from 'node:child_process';

export interface Backoff {
  /** The first delay after a crash. */
  initialMs: number;
  /** The longest delay, however long the crash loop. */
  maxMs: number;
  /** A run at least this long resets the delay to initialMs. */
  healthyMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 10_000, healthyMs: 30_000 };

/** The delay before the next start after `failures` (≥ 1) failures in a row. */
export function restartDelay(failures: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, failures - 1));
}

export interface Supervised {
  readonly name: string;
  /** Resolves once the first start succeeded; rejects if it failed (the launcher then gives up). */
  readonly started: Promise<void>;
  /** The running process's pid, if one runs. */
  pid(): number | undefined;
  /** Failed runs or starts in a row since the last healthy run. */
  failures(): number;
  /** No restart from now on (shutdown has begun); the process keeps running until stop(). */
  freeze(): void;
  /** Freezes, then ends the process (signal, SIGKILL after a grace period) and waits for its exit. */
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  log: (line: string) => void;
  backoff?: Backoff;
  /** What asks the process to stop (PostgreSQL: SIGINT, its fast shutdown). */
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs?: number;
}

const alive = (child: ChildProcess | null): boolean =>
  child !== null && child.exitCode === null && child.signalCode === null;

/**
 * Runs `start` (which resolves once the process is up, or rejects if it could not come up) and
 * starts it again whenever the process exits, until stop().
 */
export function supervise(
  name: string,
  start: () => ChildProcess | Promise<ChildProcess>,
  options: SuperviseOptions,
): Supervised {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  let child: ChildProcess | null = null;
  let frozen = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let first = true;
  /** A start in progress (stop() waits for it, so that nothing comes up after shutdown). */
  let starting: Promise<unknown> | null = null;
  let resolveStarted!: () => void;
  let rejectStarted!: (error: Error) => void;
  const started = new Promise<void>((resolve, reject) => {
    resolveStarted = resolve;
    rejectStarted = reject;
  });
  started.catch(() => undefined); // the launcher awaits it where it matters

  const retry = (reason: string) => {
    failures++;
    const delay = restartDelay(failures, backoff);
    const loop = failures > 1 ? ` (${failures} failures in a row)` : '';
    options.log(`${name} ${reason}; restarting in ${delay} ms${loop}`);
    timer = setTimeout(() => void launch(), delay);
  };

  const launch = async () => {
    timer = undefined;
    if (frozen) return;
    let current: ChildProcess;
    try {
      const pending = Promise.resolve(start());
      starting = pending.catch(() => undefined);
      current = await pending;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (first) {
        first = false;
        return rejectStarted(new Error(message));
      }
      if (!frozen) retry(`did not start (${message})`);
      return;
    }
    if (!alive(current)) {
      // Came up and went at once: the exit listener would never fire.
      if (first) return rejectStarted(new Error(`${name} exited while starting`));
      if (!frozen) retry(`exited while starting (code ${current.exitCode ?? current.signalCode})`);
      return;
    }
    child = current;
    current.on('error', (error) => options.log(`${name}: ${error.message}`)); // e.g. a failed kill
    if (frozen) {
      // Shutdown began while it was starting: end it rather than leave it behind.
      current.kill(options.stopSignal ?? 'SIGTERM');
      return;
    }
    const since = Date.now();
    options.log(`${name} running (pid ${current.pid})`);
    if (first) {
      first = false;
      resolveStarted();
    }
    current.once('exit', (code, signal) => {
      if (frozen) return;
      const ranMs = Date.now() - since;
      if (ranMs >= backoff.healthyMs) failures = 0;
      retry(`exited (${signal ? `signal ${signal}` : `code ${code}`}) after ${(ranMs / 1000).toFixed(1)} s`);
    });
  };
  void launch();

  const freeze = () => {
    frozen = true;
    clearTimeout(timer);
  };
  return {
    name,
    started,
    pid: () => (alive(child) ? child!.pid : undefined),
    failures: () => failures,
    freeze,
    stop: async () => {
      freeze();
      await starting;
      await new Promise<void>((resolve) => {
        const current = child;
        if (!current || !alive(current)) return resolve();
        current.once('exit', () => resolve());
        current.kill(options.stopSignal ?? 'SIGTERM');
        setTimeout(() => alive(current) && current.kill('SIGKILL'), options.stopTimeoutMs ?? 15_000).unref();
      });
      options.log(`${name} stopped`);
    },
  };
}

export async function waitForHttp(url: string, timeoutMs: number, isAlive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('the API keeps exiting while starting');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
