/**
 * Every error the API returns has this body. `code` is stable and machine-readable (the labeler app
 * branches on it); `message` names the field or line at fault; `details` carries the specifics.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'IMPORT_INVALID',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'CAMPAIGN_NOT_ACTIVE',
  'INVALID_TRANSITION',
  'BUDGET_EXHAUSTED',
  'NO_COMPARISON_AVAILABLE',
  'LEASE_EXPIRED',
  'LEASE_NOT_HELD',
  'IDEMPOTENCY_MISMATCH',
  'RATE_LIMITED',
  'NO_MODEL_YET',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: unknown;
}

/** One problem found by validation: where (a dotted path, or a JSONL line) and what. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
  /** 1-based JSONL line, for import errors. */
  readonly line?: number;
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as ErrorBody).code) &&
    typeof (value as ErrorBody).message === 'string'
  );
}
