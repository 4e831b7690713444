/**
 * The import body's container, decided by its first bytes (whatever the Content-Type says):
 * - gzip (1f 8b): decompressed as it streams (node:zlib); the byte limit applies to the decompressed
 *   JSONL as well, so a small bomb is cut off at IMPORT_MAX_BYTES like any other oversize body;
 * - Parquet ("PAR1"): the footer is at the end, so the body is first spooled to a temporary file
 *   (within IMPORT_MAX_BYTES), then read one row group at a time with hyparquet (pure JS) and each
 *   row handed on as one JSON line (row n is line n, null fields left out), through the same adapter
 *   and validation;
 * - anything else: JSONL as it is.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, pipeline as streamPipeline } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { AppError } from '../errors/app-error';

export type Container = 'jsonl' | 'gzip' | 'parquet';

const GZIP = Buffer.from([0x1f, 0x8b]);
const PARQUET = Buffer.from('PAR1');

function tooLarge(limit: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `the import exceeds the limit of ${limit} bytes`, { limit });
}

/** Reads enough of the body to see its magic bytes; returns them and the body with them put back. */
async function peek(body: AsyncIterable<Buffer | string>): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const iterator = body[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < 4) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    seen.push(chunk);
    length += chunk.length;
  }
  const rest = (async function* () {
    yield* seen;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  })();
  return { head: Buffer.concat(seen).subarray(0, 4), rest };
}

/**
 * Page codecs beyond hyparquet's own (uncompressed, snappy): gzip and brotli from node:zlib, and zstd
 * where this Node has it (22.15+). A file in another codec (LZ4) is a 400 naming the codec.
 */
type Decompress = (input: Uint8Array) => Buffer;
const zstd = (zlib as unknown as { zstdDecompressSync?: Decompress }).zstdDecompressSync;
const COMPRESSORS: Record<string, (input: Uint8Array) => Uint8Array> = {
  // Copies (offset 0) rather than Buffers that may sit inside Node's shared pool.
  GZIP: (input) => new Uint8Array(zlib.gunzipSync(input)),
  BROTLI: (input) => new Uint8Array(zlib.brotliDecompressSync(input)),
  ...(zstd ? { ZSTD: (input: Uint8Array) => new Uint8Array(zstd(input)) } : {}),
};

/**
 * JSON for a Parquet value: INT64 comes as a BigInt (a safe one becomes a number, a bigger one a
 * string), binary as base64, and a null field is left out: an optional Parquet column cannot tell a
 * missing field from a null one, and a Borda line refuses null where a field is optional.
 */
function replacer(this: unknown, key: string, value: unknown): unknown {
  if (value === null && key !== '' && !Array.isArray(this)) return undefined;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

async function* limited(body: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge(maxBytes);
    yield chunk;
  }
}

async function* parquetLines(body: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<string> {
  const dir = await mkdtemp(join(tmpdir(), 'borda-import-'));
  try {
    const path = join(dir, 'import.parquet');
    // pipeline() owns the file stream's errors (a full disk is the request's failure, never an
    // unhandled 'error' event) and the byte limit is checked on the way in.
    await pipeline(Readable.from(limited(body, maxBytes)), createWriteStream(path));
    // hyparquet is an ES module: loaded on demand (node16 module resolution keeps this a real import()).
    const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
    let file;
    let metadata;
    try {
      file = await asyncBufferFromFile(path);
      metadata = await parquetMetadataAsync(file);
    } catch (error) {
      throw new AppError(
        'VALIDATION_FAILED',
        `the body starts like Parquet but cannot be read: ${(error as Error).message}`,
      );
    }
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors: COMPRESSORS }).catch(
        (error: Error) => {
          throw new AppError(
            'VALIDATION_FAILED',
            `Parquet rows ${rowStart}–${rowEnd - 1} cannot be read: ${error.message}`,
          );
        },
      );
      for (const row of rows) yield `${JSON.stringify(row, replacer)}\n`;
      rowStart = rowEnd;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function* gunzipLines(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  // stream.pipeline carries backpressure and errors both ways (the body's limit error reaches the
  // reader as it was thrown) and tears the source down when reading stops early. (A hand-written pump
  // here added a 'close' listener per backpressure wait and never removed it.)
  const gunzip = streamPipeline(Readable.from(body), zlib.createGunzip(), () => undefined);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('VALIDATION_FAILED', `the gzip body cannot be decompressed: ${(error as Error).message}`);
  } finally {
    // Stopped early (a limit, a client gone): destroying the end of the pipeline ends the source too.
    gunzip.destroy();
  }
}

/** The body as JSONL bytes, and which container it came in. */
export async function decodeBody(
  body: AsyncIterable<Buffer | string>,
  maxBytes: number,
): Promise<{ container: Container; lines: AsyncIterable<Buffer | string> }> {
  const { head, rest } = await peek(body);
  if (head.subarray(0, 2).equals(GZIP)) return { container: 'gzip', lines: gunzipLines(rest) };
  if (head.equals(PARQUET)) return { container: 'parquet', lines: parquetLines(rest, maxBytes) };
  return { container: 'jsonl', lines: rest };
}
