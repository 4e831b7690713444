/** What a labeler is told when the API refuses something, always with the error code named. */
import { ApiError, errorMessage } from '../api/client';

const EXPLANATIONS: Record<string, string> = {
  LEASE_EXPIRED: 'your time on that comparison ran out and it was given to someone else',
  LEASE_NOT_HELD: 'that comparison is no longer yours to judge',
  BUDGET_EXHAUSTED: 'the campaign already has all the judgments it needs',
  CAMPAIGN_NOT_ACTIVE: 'the campaign is no longer taking judgments',
  IDEMPOTENCY_MISMATCH: 'a different judgment was already saved for that comparison',
  VALIDATION_FAILED: 'the server refused the judgment as invalid',
  NOT_FOUND: 'that comparison no longer exists',
  FORBIDDEN: 'you are not allowed to label this campaign',
  UNAUTHENTICATED: 'you are signed out; sign in again to send it',
  NETWORK_ERROR: 'the server could not be reached',
  RATE_LIMITED: 'the server asked to slow down',
};

export function errorCode(error: unknown): string {
  return error instanceof ApiError ? error.code : 'UNKNOWN';
}

/** "the lease ... (LEASE_EXPIRED)": a plain explanation followed by the code. */
export function explainError(error: unknown): string {
  const code = errorCode(error);
  const text = EXPLANATIONS[code] ?? errorMessage(error);
  return `${text} (${code})`;
}
