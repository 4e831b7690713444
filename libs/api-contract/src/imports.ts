/**
 * The prompt import's per-line refusal codes. Every line error of POST /campaigns/:id/imports (dry
 * run or not) carries one; apps/api/README.md says what each means.
 */
import type { ImportLineError } from './campaigns';

/**
 * INVALID_FIELD is a schema problem (a missing, extra or wrongly typed field); the others are about
 * what the line holds whatever the schema, or about its id.
 */
export const IMPORT_LINE_CODES = [
  'INVALID_UTF8',
  'LINE_TOO_LONG',
  'INVALID_JSON',
  'TOO_DEEP',
  'NUL_CHARACTER',
  'LONE_SURROGATE',
  'NUMBER_OUT_OF_RANGE',
  'INVALID_FIELD',
  'EMBEDDING_MISMATCH',
  'DUPLICATE_ID',
  'ID_EXISTS',
] as const;

export type ImportLineCode = (typeof IMPORT_LINE_CODES)[number];

/** A line error of the prompt import (the gold import's errors have no code). */
export interface PromptImportLineError extends ImportLineError {
  readonly code: ImportLineCode;
}
