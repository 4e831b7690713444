/** The first admin account, created by `npm start` on an empty database and printed once. */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { hashPassword } from '../auth/credentials';

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
