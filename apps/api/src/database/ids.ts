const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a path or cursor value can be a row id. Checked before querying, because Postgres
 * rejects a malformed uuid literal with an error rather than finding no row: callers answer NOT_FOUND.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
