/** The first admin account, created by `npm start` on an empty database and handed over once. */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { hashPassword } from '../auth/credentials';
import { SECRET_FILES, writeSecretFile } from './secrets';

export async function ensureFirstAdmin(
  databaseUrl: string,
  email: string,
  password: string | undefined,
): Promise<{ email: string; password: string } | null> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM users');
    if (Number(rows[0].n) > 0) return null;
    const secret = password ?? randomBytes(12).toString('base64url');
    await client.query(
      `INSERT INTO users (id, email, name, role, password_hash) VALUES (gen_random_uuid(), $1, 'Administrator', 'admin', $2)`,
      [email.toLowerCase(), await hashPassword(secret)],
    );
    return { email, password: secret };
  } finally {
    await client.end();
  }
}

/** Where the password may be shown: the launcher's stdout, when it is a terminal. */
export interface Terminal {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * The generated first-admin password never goes through the log (which a collector may ship
 * anywhere): it is written to a 0600 file in the data directory, and shown on the terminal itself
 * when there is one. The log only says where to find it. Returns the file.
 */
export function handOverFirstAdmin(
  dataDir: string,
  admin: { email: string; password: string },
  log: (line: string) => void,
  terminal: Terminal = process.stdout,
): string {
  const file = path.join(dataDir, SECRET_FILES.firstAdmin);
  rmSync(file, { force: true }); // a file left from an earlier, since emptied database
  writeSecretFile(
    file,
    `# The first Borda admin, created ${new Date().toISOString()}.\n` +
      '# Keep the password somewhere safe (a password manager), then delete this file.\n' +
      `email: ${admin.email}\npassword: ${admin.password}\n`,
  );
  log(`first admin    ${admin.email}; password in ${file} (readable by you only: keep it, then delete the file)`);
  if (terminal.isTTY) terminal.write(`\n  First admin: ${admin.email} / ${admin.password}   (shown once)\n\n`);
  return file;
}
