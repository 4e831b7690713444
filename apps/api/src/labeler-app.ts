/**
 * Serves the built labeler app (LABELER_DIST) from the API process. Middleware added with
 * `app.use` runs before Nest's routes, so the app-shell fallback must never claim an API path:
 * it answers only the app's own client routes (which never collide with API paths), and only to
 * a request that accepts HTML. Anything else, a missing asset included, falls through to the API
 * (a JSON 404 for an unknown path), so a script tag never receives the shell and a fetch never
 * receives HTML.
 */
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** The labeler app's client-side routes: `/`, `/login`, `/label/…`, `/console/…` (apps/labeler's router). */
const CLIENT_ROUTE = /^\/(?:login|label(?:\/.*)?|console(?:\/.*)?)?\/?$/;

/** Vite puts content-hashed file names under assets/: a changed file gets a new name, so cache for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The shell names the current asset hashes: browsers must revalidate it on every load. */
const REVALIDATE = 'no-cache';

/**
 * Headers of the app shell. The page's own Content-Security-Policy (a meta tag in index.html) cannot
 * forbid framing, so the header does: no other site can overlay the comparison screen and steer a
 * labeler's clicks.
 */
const SHELL_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': REVALIDATE,
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function setShellHeaders(res: Response): void {
  for (const [name, value] of Object.entries(SHELL_HEADERS)) res.setHeader(name, value);
}

export function isClientRoute(urlPath: string): boolean {
  return CLIENT_ROUTE.test(urlPath);
}

export function serveLabelerApp(app: NestExpressApplication, distFolder: string): void {
  const dist = path.resolve(distFolder);
  const assets = path.join(dist, 'assets') + path.sep;
  const shell = path.join(dist, 'index.html');
  app.useStaticAssets(dist, {
    index: false,
    setHeaders: (res, file) => {
      if (file.startsWith(assets)) res.setHeader('Cache-Control', IMMUTABLE);
      else if (file.endsWith('.html')) setShellHeaders(res as Response);
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && isClientRoute(req.path) && req.accepts('html')) {
      setShellHeaders(res);
      res.sendFile(shell, (error) => error && next(error));
      return;
    }
    next();
  });
}
