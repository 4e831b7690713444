/**
 * The few HTTP calls `borda campaign …` makes, over the runtime's fetch. Uploads and downloads are
 * streamed (a file is never held in memory) and report bytes as they pass, for the progress bars.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** An error answer of the API: `{code, message, details}` and the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number | null,
    readonly code: string,
    readonly detail: string,
    readonly details?: unknown,
  ) {
    super(formatApiError(code, detail, details));
    this.name = 'ApiError';
  }
}

interface LineError {
  line?: number;
  path?: string;
  message?: string;
  code?: string;
}

/** `line 2, responses: a prompt needs at least 2 responses to compare [INVALID_FIELD]`. */
export function formatLineError(e: LineError): string {
  return `line ${e.line ?? '?'}${e.path ? `, ${e.path}` : ''}: ${e.message ?? ''}${e.code ? ` [${e.code}]` : ''}`;
}

export function lineErrorsOf(details: unknown): LineError[] {
  const errors = (details as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? (errors as LineError[]) : [];
}

function formatApiError(code: string, message: string, details: unknown): string {
  const lines = lineErrorsOf(details);
  const shown = lines.slice(0, 20).map((e) => `\n  ${formatLineError(e)}`);
  return `${code}: ${message}${shown.join('')}${lines.length > 20 ? `\n  … ${lines.length - 20} more` : ''}`;
}

export type Progress = (bytes: number, total: number | null) => void;

export interface DownloadResult {
  readonly bytes: number;
  readonly lines: number;
}

export class ApiClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly token: string,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, accept: 'application/json', ...extra };
  }

  private async send(path: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, init);
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiError(
        null,
        'CONNECTION_FAILED',
        `cannot reach ${this.baseUrl} (${cause?.code ?? cause?.message ?? String(e)})`,
      );
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  async json<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(path, {
      method,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
    });
    const text = await response.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Streams a file as the request body; `onProgress` follows the bytes handed to the socket. */
  async upload<T = unknown>(path: string, file: string, contentType: string, onProgress?: Progress): Promise<T> {
    const size = (await stat(file)).size;
    let sent = 0;
    async function* counted() {
      for await (const chunk of createReadStream(file, { highWaterMark: 64 * 1024 })) {
        sent += (chunk as Buffer).length;
        onProgress?.(sent, size);
        yield chunk as Buffer;
      }
    }
    const response = await this.send(path, {
      method: 'POST',
      headers: this.headers({ 'content-type': contentType, 'content-length': String(size) }),
      body: Readable.toWeb(Readable.from(counted())) as unknown as RequestInit['body'],
      duplex: 'half',
    });
    return (await response.json()) as T;
  }

  /**
   * Streams a response body into `out` (through `out.partial`, renamed at the end, so a failed
   * download leaves no half file behind). `total` is the Content-Length when the server sent one.
   */
  async download(path: string, out: string, onProgress?: Progress): Promise<DownloadResult> {
    const response = await this.send(path, {
      method: 'GET',
      headers: this.headers({ accept: '*/*' }),
    });
    const length = Number(response.headers.get('content-length'));
    const total = Number.isFinite(length) && length > 0 ? length : null;
    let bytes = 0;
    let lines = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        onProgress?.(bytes, total);
        done(null, chunk);
      },
    });
    const partial = `${out}.partial`;
    try {
      const body = response.body ? Readable.fromWeb(response.body as never) : Readable.from([]);
      await pipeline(body, count, createWriteStream(partial));
      await rename(partial, out);
    } catch (e) {
      await unlink(partial).catch(() => undefined);
      throw e;
    }
    return { bytes, lines };
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof body.code === 'string' && typeof body.message === 'string') {
      return new ApiError(response.status, body.code, body.message, body.details);
    }
  } catch {
    // not JSON: a proxy's page, reported as it is below
  }
  return new ApiError(response.status, `HTTP_${response.status}`, text.slice(0, 300).trim() || response.statusText);
}
