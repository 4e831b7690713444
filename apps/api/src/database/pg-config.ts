/** node-postgres pool settings from a postgresql:// URL (shared by the service and prisma.config.ts). */
export function pgPoolConfig(url: string, max?: number) {
  // Explicit fields: pg lets a connection string override `database`.
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    ...(max ? { max } : {}),
  };
}
