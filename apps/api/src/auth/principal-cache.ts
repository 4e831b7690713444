/**
 * Resolved callers, kept for a few seconds so that a labeler's stream of next/submit calls does
 * not cost a users lookup each. Revocations (revocations.ts) keep it true across API processes.
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

  clear(): void {
    this.entries.clear();
  }

  forgetUser(userId: string): void {
    for (const [credential, entry] of this.entries) if (entry.user.id === userId) this.entries.delete(credential);
  }
}
