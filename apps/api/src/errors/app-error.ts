/**
 * The one error class of the service. Throw it anywhere with a code from @borda/api-contract; the
 * exception filter turns it into `{code, message, details}` with the status below.
 */
import type { ErrorCode } from '@borda/api-contract';

export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  IMPORT_INVALID: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CAMPAIGN_NOT_ACTIVE: 409,
  INVALID_TRANSITION: 409,
  BUDGET_EXHAUSTED: 409,
  NO_COMPARISON_AVAILABLE: 409,
  LEASE_EXPIRED: 409,
  LEASE_NOT_HELD: 409,
  IDEMPOTENCY_MISMATCH: 422,
  RATE_LIMITED: 429,
  NO_MODEL_YET: 409,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  static notFound(what: string, id: string): AppError {
    return new AppError('NOT_FOUND', `${what} ${id} not found`, { resource: what, id });
  }

  static forbidden(message: string): AppError {
    return new AppError('FORBIDDEN', message);
  }
}
