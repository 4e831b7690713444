/**
 * The one way the app talks to the API: JSON in and out, the session's bearer token, and every
 * failure turned into an ApiError whose `code` is the API's machine-readable code (or NETWORK_ERROR
 * when no answer came), so screens branch on codes, never on message text.
 */
import { type ErrorCode, isErrorBody } from '@borda/api-contract';

export type ClientErrorCode = ErrorCode | 'NETWORK_ERROR' | 'BAD_RESPONSE';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth trying again: no answer, a server-side failure, or throttling. */
  get retryable(): boolean {
    return this.code === 'NETWORK_ERROR' || this.status >= 500 || this.status === 429;
  }
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as it is (a File, Blob or string) with this content type instead of JSON. */
  readonly rawBody?: BodyInit;
  readonly contentType?: string;
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly signal?: AbortSignal;
  /** Accept header (default JSON); exports ask for JSONL. */
  readonly accept?: string;
}

export type TokenSource = () => string | null;

export class ApiClient {
  constructor(
    private readonly token: TokenSource,
    private readonly onUnauthenticated: () => void = () => {},
    private readonly baseUrl = '',
  ) {}

  get<T>(path: string, options?: RequestOptions): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  patch<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(response.status, 'BAD_RESPONSE', `The server sent an unreadable answer to ${method} ${path}.`);
    }
  }

  /** The raw response of a successful request (for downloads). */
  async fetchBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
    const response = await this.send('GET', path, options);
    return response.blob();
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path + queryString(options.query), {
        method,
        headers,
        body,
        signal: options.signal,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached. Check your connection.');
    }
    if (!response.ok) throw await toApiError(response, this.onUnauthenticated);
    return response;
  }
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function toApiError(response: Response, onUnauthenticated: () => void): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (response.status === 401) onUnauthenticated();
  if (isErrorBody(body)) return new ApiError(response.status, body.code, body.message, body.details);
  return new ApiError(response.status, response.status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE', `HTTP ${response.status}`);
}

/** A human sentence for an error of any kind (what screens show in an alert). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
