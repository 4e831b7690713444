/**
 * Renders a component the way the app does (router, query client, a session) against a scripted
 * API: tests say which answers the server gives, and read back what the component sent.
 */
import type { UserView } from '@borda/api-contract';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { ApiClient } from '../src/api/client';
import { type SessionContextValue, TestSessionProvider } from '../src/auth/session';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

export type Responder = (
  request: RecordedRequest,
) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;

/** A fetch that answers from `routes` ("METHOD /path" → responder, first match by prefix of the path without query). */
export function scriptedFetch(routes: Record<string, Responder>) {
  const requests: RecordedRequest[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    let body: unknown = init.body;
    if (typeof init.body === 'string' && headers['content-type'] === 'application/json') body = JSON.parse(init.body);
    const request: RecordedRequest = { method, path: url.pathname + url.search, body, headers };
    requests.push(request);
    const key = Object.keys(routes).find((k) => {
      const [m, p] = k.split(' ');
      return m === method && (url.pathname === p || (p.endsWith('*') && url.pathname.startsWith(p.slice(0, -1))));
    });
    if (!key)
      return new Response(JSON.stringify({ code: 'NOT_FOUND', message: `no route ${method} ${url.pathname}` }), {
        status: 404,
      });
    const answer = await routes[key](request);
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch: fetchImpl as typeof fetch, requests };
}

export const RESEARCHER: UserView = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'r@example.com',
  name: 'Rita Researcher',
  role: 'researcher',
  createdAt: '2026-01-01T00:00:00.000Z',
};
export const LABELER: UserView = {
  ...RESEARCHER,
  id: '00000000-0000-4000-8000-000000000002',
  name: 'Lee Labeler',
  role: 'labeler',
};

export function renderWithApp(
  ui: ReactElement,
  options: { user?: UserView; fetch: typeof fetch; path?: string; route?: string },
): RenderResult & { queryClient: QueryClient } {
  globalThis.fetch = options.fetch;
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const session: SessionContextValue = {
    session: { accessToken: 'test-token', expiresAt: Date.now() + 3_600_000, user: options.user ?? RESEARCHER },
    user: options.user ?? RESEARCHER,
    api: new ApiClient(() => 'test-token'),
    login: async () => options.user ?? RESEARCHER,
    logout: () => {},
  };
  const result = render(
    <QueryClientProvider client={queryClient}>
      <TestSessionProvider value={session}>
        <MemoryRouter initialEntries={[options.path ?? '/']}>
          <Routes>
            <Route path={options.route ?? '*'} element={ui} />
          </Routes>
        </MemoryRouter>
      </TestSessionProvider>
    </QueryClientProvider>,
  );
  return { ...result, queryClient };
}
