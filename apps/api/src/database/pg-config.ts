/**
 * node-postgres pool settings from a postgresql:// URL (shared by the service and prisma.config.ts).
 *
 * The URL is passed through whole, so that everything pg's connection-string parser understands keeps
 * working: `sslmode` and the other TLS parameters, a Unix socket as `?host=/var/run/postgresql`,
 * `application_name`, `options`. (Taking it apart into host, port, user and database lost all of them.)
 */
export function pgPoolConfig(url: string, max?: number) {
  return { connectionString: url, ...(max ? { max } : {}) };
}
