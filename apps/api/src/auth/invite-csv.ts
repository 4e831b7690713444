/**
 * The bulk invitation CSV: `email,role[,name]` per line, an optional header line naming those
 * columns, fields optionally in double quotes ("" for a quote inside). Every problem is reported
 * with its line, so the admin fixes the file once.
 */
import { type FieldIssue, INVITE_MAX_ROWS, type InviteRow, ROLES, type Role } from '@borda/api-contract';
import { z } from 'zod';

const email = z.email().max(320);

/** Splits one CSV line into fields; null when a quote is left open. */
export function csvFields(line: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === ',') {
      fields.push(field.trim());
      field = '';
    } else field += c;
  }
  if (quoted) return null;
  fields.push(field.trim());
  return fields;
}

export function parseInviteCsv(csv: string): { rows: InviteRow[]; issues: FieldIssue[] } {
  const rows: InviteRow[] = [];
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '') return;
    const fields = csvFields(text);
    if (!fields) {
      issues.push({ line, path: 'line', message: 'a quoted field is not closed' });
      return;
    }
    if (line === 1 && fields[0].toLowerCase() === 'email') return; // the header
    if (fields.length < 2 || fields.length > 3) {
      issues.push({ line, path: 'line', message: `expected email,role[,name], got ${fields.length} field(s)` });
      return;
    }
    const [address, role, name] = fields;
    const parsed = email.safeParse(address);
    if (!parsed.success) issues.push({ line, path: 'email', message: `"${address}" is not an email address` });
    if (!(ROLES as readonly string[]).includes(role.toLowerCase())) {
      issues.push({ line, path: 'role', message: `role must be one of ${ROLES.join(', ')}, got "${role}"` });
    }
    if (name !== undefined && name.length > 200)
      issues.push({ line, path: 'name', message: 'name is over 200 characters' });
    if (!parsed.success || !(ROLES as readonly string[]).includes(role.toLowerCase())) return;
    const key = address.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({ line, path: 'email', message: `${address} is already on line ${first}` });
      return;
    }
    seen.set(key, line);
    rows.push({ line, email: key, role: role.toLowerCase() as Role, name: name || key.split('@')[0] });
  });
  if (rows.length === 0 && issues.length === 0) issues.push({ line: 1, path: 'csv', message: 'the CSV lists nobody' });
  if (rows.length > INVITE_MAX_ROWS) {
    issues.push({
      line: rows[INVITE_MAX_ROWS].line,
      path: 'csv',
      message: `at most ${INVITE_MAX_ROWS} people per file`,
    });
  }
  return { rows, issues };
}
