/**
 * Resolved callers, kept for a few seconds so that a labeler's stream of next/submit calls does
 * not cost a users lookup each. Revoking a token or changing a user drops their entries in this
 * process at once; other API processes see the change within `ttlMs`.
 */
import type { AuthUser } from './decorators';

export class PrincipalCache {
  private readonly entries = new Map<string, { user: AuthUser; expires: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 50_000,
  ) {}

  get(credential: string): AuthUser | undefined {
    const hit = this.entries.get(credential);
    if (!hit) return undefined;
    if (hit.expires <= Date.now()) {
      this.entries.delete(credential);
      return undefined;
    }
    return hit.user;
  }

  /** `notAfter`: the credential's own expiry (a JWT's exp), which a cached entry must not outlive. */
  set(credential: string, user: AuthUser, notAfter = Infinity): void {
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(credential, { user, expires: Math.min(Date.now() + this.ttlMs, notAfter) });
  }

  forgetUser(userId: string): void {
    for (const [credential, entry] of this.entries) if (entry.user.id === userId) this.entries.delete(credential);
  }
}
