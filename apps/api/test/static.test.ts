/**
 * The built labeler app served by the API (LABELER_DIST): browser navigations to client routes get
 * the app shell, API requests always get the API's JSON, hashed assets are cached for good and a
 * missing asset is a 404 (not the shell, which a browser would try to run as a script).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from './support/harness';

const SHELL =
  '<!doctype html><html><body><div id="root"></div><script src="/assets/app-abc123.js"></script></body></html>';
const SCRIPT = 'console.log("borda");';
/** What a browser sends on a navigation. */
const NAVIGATION = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('serving the labeler app (LABELER_DIST)', () => {
  let app: TestApp;
  let researcher: TestUser;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'borda-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), SHELL);
    writeFileSync(path.join(dist, 'assets', 'app-abc123.js'), SCRIPT);
    app = await startTestApp({ env: { LABELER_DIST: dist } });
    researcher = await app.createUser('researcher');
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  /** No other site may frame the app (clickjacking a labeler's judgments). */
  const expectShellHeaders = (headers: Headers) => {
    expect(headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
  };

  const get = (url: string, accept: string, token?: string) => app.request('GET', url, { token, headers: { accept } });

  it.each(['/', '/login', '/label/abc', '/console', '/console/campaigns/xyz', '/console/campaigns/xyz/policy/p1'])(
    'answers a browser navigation to %s with the app shell, never cached',
    async (url) => {
      const res = await get(url, NAVIGATION);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.text).toBe(SHELL);
      expectShellHeaders(res.headers);
    },
  );

  it('serves /index.html itself uncached too', async () => {
    const res = await get('/index.html', NAVIGATION);
    expect(res.status).toBe(200);
    expect(res.text).toBe(SHELL);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expectShellHeaders(res.headers);
  });

  it.each(['application/json', '*/*'])('answers API routes with JSON for Accept %s', async (accept) => {
    const campaigns = await get('/campaigns', accept, researcher.token);
    expect(campaigns.status).toBe(200);
    expect(campaigns.headers.get('content-type')).toContain('application/json');
    expect(campaigns.body).toEqual([]);

    const me = await get('/auth/me', accept);
    expect(me.status).toBe(401);
    expect(me.headers.get('content-type')).toContain('application/json');
    expect(me.body.code).toBe('UNAUTHENTICATED');

    const health = await get('/health', accept);
    expect(health.headers.get('content-type')).toContain('application/json');
  });

  it('answers API routes with JSON even to a browser navigation', async () => {
    const me = await get('/auth/me', NAVIGATION);
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('UNAUTHENTICATED');
    const campaigns = await get('/campaigns', NAVIGATION, researcher.token);
    expect(campaigns.status).toBe(200);
    expect(campaigns.body).toEqual([]);
  });

  it('serves hashed assets as immutable for a year', async () => {
    const res = await get('/assets/app-abc123.js', '*/*');
    expect(res.status).toBe(200);
    expect(res.text).toBe(SCRIPT);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it.each(['*/*', NAVIGATION])('answers a missing asset with 404, not the shell (Accept %s)', async (accept) => {
    const res = await get('/assets/x.js', accept);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('<div id="root">');
    expect(res.headers.get('cache-control') ?? '').not.toContain('immutable');
  });

  it('leaves unknown non-app paths to the API (404 JSON)', async () => {
    const res = await get('/nope', 'application/json');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
