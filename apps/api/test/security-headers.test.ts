/**
 * Issue 12, item 6: every response carries the standard security headers (no MIME sniffing, no
 * framing by other sites, no referrer, no X-Powered-By), /docs still gets a policy Swagger UI can
 * run under, the labeler app shell keeps its own headers, and the public /health answer says
 * nothing about the internals (driver messages, database address) even while the database is down.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, startTestApp, type TestApp, type TestUser } from './support/harness';

const SHELL = '<!doctype html><html><body><div id="root"></div></body></html>';
const NAVIGATION = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function expectBaseline(res: ApiResponse, what: string): void {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(res.headers.get('x-powered-by'), what).toBeNull();
  expect(res.headers.get('content-security-policy') ?? '', what).toContain("frame-ancestors 'none'");
  // Plain HTTP: HSTS would be ignored by browsers, and the app does not claim TLS it does not have.
  expect(res.headers.get('strict-transport-security'), what).toBeNull();
}

/** The CSP's directives as a map: `script-src 'self'` → {'script-src': ["'self'"]}. */
function csp(res: ApiResponse): Record<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return Object.fromEntries(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('security headers', () => {
  let app: TestApp;
  let researcher: TestUser;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'borda-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), SHELL);
    writeFileSync(path.join(dist, 'assets', 'app-1.js'), 'console.log(1);');
    app = await startTestApp({ env: { LABELER_DIST: dist } });
    researcher = await app.createUser('researcher');
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('are on API answers of every kind: success, 401, 404, bad JSON, public routes', async () => {
    const answers: [string, ApiResponse, number][] = [
      ['GET /campaigns', await app.get('/campaigns', researcher.token), 200],
      ['GET /auth/me anonymous', await app.get('/auth/me'), 401],
      ['GET unknown route', await app.get('/no/such/route', researcher.token), 404],
      [
        'POST bad JSON',
        await app.request('POST', '/auth/login', { body: '{nope', contentType: 'application/json' }),
        400,
      ],
      ['GET /health', await app.get('/health'), 200],
      ['GET /metrics', await app.get('/metrics'), 200],
    ];
    for (const [what, res, status] of answers) {
      expect(res.status, what).toBe(status);
      expectBaseline(res, what);
      // An API answer loads nothing: a JSON body opened as a page can run no script.
      expect(csp(res)['default-src'], what).toEqual(["'none'"]);
    }
  });

  it('let Swagger UI at /docs run (its scripts from self, its inline style) and keep it unframeable', async () => {
    const page = await app.request('GET', '/docs', { headers: { accept: NAVIGATION } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    expectBaseline(page, '/docs');
    const policy = csp(page);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['style-src']).toContain("'unsafe-inline'");
    expect(policy['img-src']).toContain('data:');
    // Every script the page loads is same-origin and served with nosniff.
    const scripts = [...page.text.matchAll(/<script src=["']([^"']+)["']/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      const url = new URL(src, `${app.url}/docs`); // resolved as the browser does on /docs
      expect(url.origin).toBe(app.url);
      const script = await app.get(url.pathname);
      expect(script.status, src).toBe(200);
      expectBaseline(script, src);
    }
    const spec = await app.get('/docs/openapi.json');
    expect(spec.status).toBe(200);
    expectBaseline(spec, '/docs/openapi.json');
  });

  it('keep the app shell’s own policy and headers', async () => {
    for (const url of ['/', '/label/abc', '/index.html']) {
      const res = await app.request('GET', url, { headers: { accept: NAVIGATION } });
      expect(res.status, url).toBe(200);
      expect(res.text, url).toBe(SHELL);
      expectBaseline(res, url);
      // The shell's script policy is the meta tag of index.html; the header only forbids framing.
      expect(res.headers.get('content-security-policy'), url).toBe("frame-ancestors 'none'");
    }
    const asset = await app.get('/assets/app-1.js');
    expect(asset.status).toBe(200);
    expectBaseline(asset, 'asset');
  });

  it('send no HSTS on plain HTTP, even when a client claims X-Forwarded-Proto without a trusted proxy', async () => {
    const claimed = await app.request('GET', '/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(claimed.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('behind a trusted TLS-terminating proxy', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => app?.close());

  it('sends HSTS (no includeSubDomains) on requests that came over TLS, and not on the others', async () => {
    const viaTls = await app.request('GET', '/health', { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaTls.headers.get('strict-transport-security')).toBe('max-age=15552000');
    const plain = await app.request('GET', '/health', { headers: { 'x-forwarded-proto': 'http' } });
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('public /health while the database is unreachable', () => {
  let app: TestApp;
  // A closed port on a named host: the driver's message would carry both.
  const DATABASE_URL = 'postgresql://postgres:hunter2@127.0.0.1:1/nowhere';

  beforeAll(async () => {
    app = await startTestApp({ env: { DATABASE_URL } });
  });
  afterAll(() => app?.close());

  it('answers 503 {status: degraded} and nothing else', async () => {
    const res = await app.get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'degraded' });
    for (const leak of ['127.0.0.1', 'nowhere', 'hunter2', 'ECONNREFUSED', 'prisma', 'database', 'redis']) {
      expect(res.text.toLowerCase()).not.toContain(leak.toLowerCase());
    }
    expectBaseline(res, '/health degraded');
  });

  it('keeps the details behind authentication', async () => {
    const res = await app.get('/health/details');
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('127.0.0.1');
  });
});
