/**
 * Secrets of `npm start`, generated on first use and kept in the data directory, each in its own
 * file readable by the launcher's user only (mode 0600): the JWT signing key, the embedded
 * PostgreSQL superuser's password, the managed Redis password, and the first admin's password.
 * SECURITY.md lists them.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SECRET_FILES = {
  jwt: 'jwt-secret',
  postgres: 'postgres-password',
  redis: 'redis-password',
  firstAdmin: 'first-admin.txt',
} as const;

/** Hex: safe inside a URL, a config line and a SQL literal without escaping. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('hex');
}

/** Narrows a secret file that an older version (or a copy) left readable by others to 0600. */
function restrict(file: string): void {
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

/** Writes a new file with mode 0600 from the start (never briefly world-readable); fails if it exists. */
export function writeSecretFile(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  restrict(file); // a umask cannot widen 0600, but a filesystem without modes may ignore it
}

/** The secret stored in `<dataDir>/<name>`, generated and stored on first use. */
export function persistentSecret(dataDir: string, name: string, generate: () => string = () => newSecret()): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) {
    restrict(file);
    return readFileSync(file, 'utf8').trim();
  }
  const secret = generate();
  writeSecretFile(file, secret);
  return secret;
}

/** Whether `<dataDir>/<name>` exists already (a data directory from before a secret was introduced lacks it). */
export function hasSecret(dataDir: string, name: string): boolean {
  return existsSync(path.join(dataDir, name));
}
