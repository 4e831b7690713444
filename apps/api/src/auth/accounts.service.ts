/**
 * Account administration by an admin: password resets (a generated password, shown once, and the
 * user's sessions revoked) and bulk invitations from a CSV (dry run, then all or nothing).
 */
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { InviteDryRun, InviteResult, PasswordResetResponse } from '@borda/api-contract';
import { AuditService } from '../audit/audit.service';
import { AppError } from '../errors/app-error';
import { hashPassword } from './credentials';
import type { AuthUser } from './decorators';
import { parseInviteCsv } from './invite-csv';
import { Revocations } from './revocations';
import { SessionsRepository } from './sessions.repository';
import { UsersRepository } from './users.repository';

/** 18 random bytes: 24 URL-safe characters, easy to copy, far past any guessing. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

@Injectable()
export class AccountsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly revocations: Revocations,
    private readonly audit: AuditService,
  ) {}

  async resetPassword(caller: AuthUser, userId: string): Promise<PasswordResetResponse> {
    const password = generatePassword();
    if (!(await this.users.setPasswordHash(userId, await hashPassword(password)))) {
      throw AppError.notFound('user', userId);
    }
    // The old password may be known to someone else: every session it opened ends now.
    const sessionsRevoked = await this.sessions.revokeAllForUser(userId);
    await this.revocations.revokedFor(userId);
    await this.audit.record(caller.id, null, 'user.password_reset', { userId, sessionsRevoked });
    return { userId, password, sessionsRevoked };
  }

  async invite(caller: AuthUser, csv: string, dryRun: boolean): Promise<InviteDryRun | InviteResult> {
    const { rows, issues } = parseInviteCsv(csv);
    const taken = await this.users.existingEmails(rows.map((r) => r.email));
    for (const row of rows) {
      if (taken.has(row.email))
        issues.push({ line: row.line, path: 'email', message: `${row.email} already has an account` });
    }
    if (issues.length > 0) {
      issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      const first = issues[0];
      throw new AppError('IMPORT_INVALID', `line ${first.line}: ${first.message} (${issues.length} problem(s))`, {
        issues,
      });
    }
    if (dryRun) return { dryRun: true, rows };
    const accounts = await Promise.all(
      rows.map(async (row) => {
        const password = generatePassword();
        return { row, password, passwordHash: await hashPassword(password) };
      }),
    );
    const ids = await this.users.createMany(
      accounts.map(({ row, passwordHash }) => ({ email: row.email, name: row.name, role: row.role, passwordHash })),
    );
    await this.audit.record(caller.id, null, 'user.invite', {
      count: rows.length,
      users: rows.map((r, i) => ({ id: ids[i], email: r.email, role: r.role })),
    });
    return {
      dryRun: false,
      created: accounts.map(({ row, password }, i) => ({ ...row, id: ids[i], password })),
    };
  }
}
