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
  JUDGMENT_EXISTS: 'a different judgment was already saved for that comparison (change it with Undo last)',
  LABELER_PAUSED: 'a researcher paused your work on this campaign',
  UNDO_WINDOW_CLOSED: 'that judgment is too old to change',
  NOT_REVISABLE: 'there is no judgment to change there',
};

/** The API's code; for a 409 CONFLICT of the crowd rules, the reason it names (JUDGMENT_EXISTS, LABELER_PAUSED, ...). */
export function errorCode(error: unknown): string {
  if (!(error instanceof ApiError)) return 'UNKNOWN';
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  return error.code === 'CONFLICT' && typeof reason === 'string' ? reason : error.code;
}

/** "the lease ... (LEASE_EXPIRED)": a plain explanation followed by the code. */
export function explainError(error: unknown): string {
  const code = errorCode(error);
  const text = EXPLANATIONS[code] ?? errorMessage(error);
  return `${text} (${code})`;
}
