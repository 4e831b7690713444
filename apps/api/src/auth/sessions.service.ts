/**
 * Ending access before it expires: signing out, revoking sessions, disabling users. Each change is
 * written to Postgres and then announced (Revocations), so every API replica refuses the
 * credentials from the next request on.
 */
import { Injectable } from '@nestjs/common';
import type { SessionView, UserView } from '@borda/api-contract';
import { AuditService } from '../audit/audit.service';
import { isUuid } from '../database';
import { AppError } from '../errors/app-error';
import { userView } from './auth.service';
import type { AuthUser } from './decorators';
import { Revocations } from './revocations';
import { SessionsRepository } from './sessions.repository';
import { UsersRepository } from './users.repository';

@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly revocations: Revocations,
    private readonly audit: AuditService,
  ) {}

  /** Ends the session the request came with. */
  async logout(caller: AuthUser): Promise<void> {
    if (!caller.sessionId) {
      throw new AppError(
        'VALIDATION_FAILED',
        'logout ends a session, and this request came with an API token: revoke it with DELETE /auth/tokens/{id}',
      );
    }
    await this.sessions.revoke(caller.sessionId);
    await this.revocations.revokedFor(caller.id);
  }

  async list(caller: AuthUser): Promise<SessionView[]> {
    return (await this.sessions.listActiveForUser(caller.id)).map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      client: s.client,
      current: s.id === caller.sessionId,
    }));
  }

  /** A user revokes one of their sessions; an admin any session. Unknown and others' sessions are 404. */
  async revoke(caller: AuthUser, id: string): Promise<void> {
    const session = isUuid(id) ? await this.sessions.findById(id) : null;
    if (!session || (session.userId !== caller.id && caller.role !== 'admin')) throw AppError.notFound('session', id);
    if (!(await this.sessions.revoke(id))) throw AppError.notFound('session', id);
    await this.revocations.revokedFor(session.userId);
    if (session.userId !== caller.id) {
      await this.audit.record(caller.id, null, 'session.revoke', { userId: session.userId, sessionId: id });
    }
  }

  /** Revokes every session of `userId` (the caller's own, or any user's for an admin). */
  async revokeAll(caller: AuthUser, userId: string): Promise<{ revoked: number }> {
    if (userId !== caller.id && !(await this.users.findById(userId))) throw AppError.notFound('user', userId);
    const revoked = await this.sessions.revokeAllForUser(userId);
    await this.revocations.revokedFor(userId);
    if (userId !== caller.id) await this.audit.record(caller.id, null, 'session.revoke_all', { userId, revoked });
    return { revoked };
  }

  /**
   * Disabling refuses the user's sessions and API tokens at once and revokes the sessions, so that
   * enabling the user again does not bring old sessions back (API tokens work again).
   */
  async setDisabled(caller: AuthUser, userId: string, disabled: boolean): Promise<UserView> {
    if (disabled && userId === caller.id) {
      throw new AppError('CONFLICT', 'an admin cannot disable their own account', { field: 'id' });
    }
    const user = await this.users.setDisabled(userId, disabled);
    if (!user) throw AppError.notFound('user', userId);
    if (disabled) await this.sessions.revokeAllForUser(userId);
    await this.revocations.revokedFor(userId);
    await this.audit.record(caller.id, null, disabled ? 'user.disable' : 'user.enable', { userId });
    return userView(user);
  }
}
