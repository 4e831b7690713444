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

/**
 * The row shapes POST /campaigns/:id/imports reads (?format=, default auto: detected from the first
 * row). Every adapter maps a row into a Borda line, which then goes through the same validation.
 */
export const IMPORT_FORMATS = ['borda', 'ultrafeedback', 'hh-rlhf', 'binarized', 'openai-chat', 'plain'] as const;

export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * Content types read besides the JSONL ones: gzipped JSONL and Parquet. The body's first bytes decide
 * how it is read, so a gzipped JSONL body sent as application/x-ndjson with Content-Encoding: gzip is
 * read too; application/octet-stream stays refused (an upload of unknown kind).
 */
export const IMPORT_BINARY_CONTENT_TYPES = [
  'application/gzip',
  'application/x-gzip',
  'application/vnd.apache.parquet',
  'application/x-parquet',
] as const;

/** How one row was mapped (the dry run lists the first IMPORT_ERROR_LIMIT). */
export interface ImportRowMapping {
  readonly line: number;
  readonly format: ImportFormat;
  /** The prompt's id: the row's own (id, prompt_id) or one derived from its content. */
  readonly promptId: string;
  readonly responses: number;
  /** Existing judgments (chosen over rejected) the row carries, imported as labels. */
  readonly judgments: number;
}
