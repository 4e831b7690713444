/**
 * A second API process for a test app: another Nest application on the same database, Redis and
 * queue prefix, as a second replica behind a load balancer would be.
 */
import type { INestApplication } from '@nestjs/common';
import { createHttpApp } from '../../src/bootstrap';
import type { TestApp } from './harness';

export interface Replica {
  readonly url: string;
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startReplica(app: TestApp): Promise<Replica> {
  const http: INestApplication = await createHttpApp(app.config);
  await http.listen(0, '127.0.0.1');
  const { port } = http.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(url + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await response.text();
      const json = (response.headers.get('content-type') ?? '').includes('application/json') && text;
      return { status: response.status, body: json ? JSON.parse(text) : text, headers: response.headers };
    },
    close: () => http.close(),
  };
}
