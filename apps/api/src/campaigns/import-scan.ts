/**
 * Reads an import body once: validates every line, checks ids against the file and the campaign
 * chunk by chunk, and (when given a writer and no line has failed yet) hands each validated chunk
 * to the database while the next one is parsed. Memory is bounded by one chunk plus the set of ids.
 */
import {
  IMPORT_ERROR_LIMIT,
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportReport,
  type ImportRowMapping,
  type PromptImportLineError,
} from '@borda/api-contract';
import { AppError } from '../errors/app-error';
import { ImportColumns } from './import-columns';
import { ADAPTERS, detectFormat } from './import-formats';
import { type FeatureRules, parseImportLine, type PromptRow } from './import-line';
import { readLines } from './import-reader';
import type { ImportLookup, ImportWriter } from './import.repository';

/** A chunk is one INSERT per table: ~2k prompts or ~16k responses, whichever fills first. */
const CHUNK_PROMPTS = 2_000;
const CHUNK_RESPONSES = 16_000;

export interface ScanOptions {
  readonly rules: FeatureRules;
  readonly limits: { readonly maxBytes: number; readonly maxLineBytes: number };
  readonly lookup: ImportLookup;
  readonly writer?: ImportWriter;
  /** The row format, or auto: detected from the first non-blank line. */
  readonly format: ImportFormat | 'auto';
  /** False: the judgments rows carry are not imported (their rows are). */
  readonly judgments: boolean;
  /** Dry run: list how each row was mapped (the first IMPORT_ERROR_LIMIT). */
  readonly listRows?: boolean;
}

class ErrorLog {
  readonly entries: PromptImportLineError[] = [];
  count = 0;

  add(errors: readonly PromptImportLineError[]): void {
    this.count += errors.length;
    for (const e of errors) if (this.entries.length < IMPORT_ERROR_LIMIT) this.entries.push(e);
  }
}

class Scan {
  readonly errors = new ErrorLog();
  promptCount = 0;
  responseCount = 0;
  judgmentCount = 0;
  readonly rows: ImportRowMapping[] = [];
  private readonly firstLine = new Map<string, number>();
  private chunk = new ImportColumns();
  private chunkIds: string[] = [];
  private inFlight: Promise<void> | null = null;

  constructor(private readonly options: ScanOptions) {}

  async row(found: PromptRow, format: ImportFormat): Promise<void> {
    const row = this.options.judgments ? found : { ...found, judgments: [] };
    const seen = this.firstLine.get(row.externalId);
    if (seen !== undefined) {
      this.errors.add([
        {
          line: row.line,
          path: 'id',
          code: 'DUPLICATE_ID',
          message: `duplicate id '${row.externalId}' (first on line ${seen})`,
        },
      ]);
      return;
    }
    this.firstLine.set(row.externalId, row.line);
    this.promptCount += 1;
    this.responseCount += row.responses.length;
    this.judgmentCount += row.judgments.length;
    if (this.options.listRows && this.rows.length < IMPORT_ERROR_LIMIT) {
      this.rows.push({
        line: row.line,
        format,
        promptId: row.externalId,
        responses: row.responses.length,
        judgments: row.judgments.length,
      });
    }
    this.chunkIds.push(row.externalId);
    // After the first error nothing more is written: the transaction will roll back anyway.
    if (this.options.writer && this.errors.count === 0) this.chunk.add(row, format);
    if (this.chunkIds.length >= CHUNK_PROMPTS || this.chunk.responseCount >= CHUNK_RESPONSES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.chunkIds.length === 0) return;
    const ids = this.chunkIds;
    const chunk = this.chunk;
    this.chunkIds = [];
    this.chunk = new ImportColumns();
    // On the transaction this query waits behind the previous chunk's INSERT (one connection).
    const existing = await this.options.lookup.existing(ids);
    this.errors.add(
      existing.map((id) => ({
        line: this.firstLine.get(id) ?? 0,
        path: 'id',
        code: 'ID_EXISTS' as const,
        message: `id '${id}' is already in the campaign`,
      })),
    );
    if (this.options.writer && this.errors.count === 0 && chunk.promptCount > 0) {
      await this.settle();
      const insert = this.options.writer.insert(chunk);
      insert.catch(() => undefined); // observed by settle(); avoids an unhandled rejection meanwhile
      this.inFlight = insert;
    }
  }

  /** Waits for the chunk being written; rethrows its failure. */
  async settle(): Promise<void> {
    const pending = this.inFlight;
    this.inFlight = null;
    if (pending) await pending;
  }

  /** On an early exit: let the in-flight INSERT end before the transaction is rolled back. */
  async abandon(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    this.inFlight = null;
  }
}

/** The format named, or the one the first non-blank line has; several → the client must name it. */
function chooseFormat(requested: ImportFormat | 'auto', firstLine: string): ImportFormat {
  if (requested !== 'auto') return requested;
  let value: unknown;
  try {
    value = JSON.parse(firstLine);
  } catch {
    return 'borda'; // reported as the line's INVALID_JSON, as before adapters existed
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'borda';
  const detected = detectFormat(value as Record<string, unknown>);
  if (typeof detected === 'string') return detected;
  throw new AppError(
    'IMPORT_INVALID',
    `the first row could be ${detected.ambiguous.join(' or ')}: name the format with ?format=`,
    { reason: 'FORMAT_AMBIGUOUS', candidates: detected.ambiguous, formats: IMPORT_FORMATS, errors: [], errorCount: 0 },
  );
}

export async function scanImport(body: AsyncIterable<Buffer | string>, options: ScanOptions): Promise<ImportReport> {
  const scan = new Scan(options);
  let linesRead = 0;
  let format: ImportFormat | null = options.format === 'auto' ? null : options.format;
  try {
    for await (const raw of readLines(body, options.limits)) {
      linesRead = raw.line;
      if ('tooLong' in raw) {
        const message = `the line has ${raw.tooLong} bytes; the limit is ${options.limits.maxLineBytes}`;
        scan.errors.add([{ line: raw.line, path: '(line)', code: 'LINE_TOO_LONG', message }]);
        continue;
      }
      if ('invalidUtf8' in raw) {
        const message = 'the line is not valid UTF-8 (its bytes are kept out rather than replaced with U+FFFD)';
        scan.errors.add([{ line: raw.line, path: '(line)', code: 'INVALID_UTF8', message }]);
        continue;
      }
      if (raw.text.trim() === '') continue;
      format ??= chooseFormat(options.format, raw.text);
      const parsed = parseImportLine(raw.text, raw.line, options.rules, ADAPTERS[format]);
      if ('errors' in parsed) scan.errors.add(parsed.errors);
      else await scan.row(parsed.row, format);
    }
    await scan.flush();
    await scan.settle();
  } finally {
    await scan.abandon();
  }
  scan.errors.entries.sort((a, b) => a.line - b.line);
  return {
    valid: scan.errors.count === 0,
    promptCount: scan.promptCount,
    responseCount: scan.responseCount,
    errors: scan.errors.entries,
    errorCount: scan.errors.count,
    linesRead,
    format: format ?? (options.format === 'auto' ? 'borda' : options.format),
    judgmentCount: scan.judgmentCount,
    ...(options.listRows ? { rows: scan.rows } : {}),
  };
}
