/**
 * Security headers on every response (helmet), registered before any route or static file so that
 * errors, 404s and body-parser failures carry them too. Three kinds of response, three policies:
 * - API responses (JSON, Prometheus text) load nothing: `default-src 'none'`.
 * - /docs (Swagger UI) loads its own scripts and styles and has an inline <style> and data: images.
 * - The labeler app shell replaces the CSP with its own header (labeler-app.ts); its script policy
 *   lives in the meta tag of index.html, which a header here would otherwise intersect with.
 * No page may be framed by another site anywhere (frame-ancestors 'none' and X-Frame-Options DENY).
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/** Six months: long enough to matter, short enough to undo a mistaken TLS setup. */
const HSTS = 'max-age=15552000';

const common = {
  // HSTS is set below only on requests that arrived over TLS (directly or via a trusted proxy):
  // over plain HTTP (npm start on 127.0.0.1) it is ignored by browsers and would only mislead.
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'no-referrer' as const },
  frameguard: { action: 'deny' as const },
  // Only no-cors loads (an <img> or <script> on another site) are refused; fetch() is unaffected.
  crossOriginResourcePolicy: { policy: 'same-origin' as const },
};

const apiHeaders = helmet({
  ...common,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
});

const docsHeaders = helmet({
  ...common,
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // Swagger UI's page has an inline <style> block and sets style attributes at run time.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
    },
  },
});

export function isDocsPath(urlPath: string): boolean {
  return urlPath === '/docs' || urlPath.startsWith('/docs/') || urlPath.startsWith('/docs-');
}

export function applySecurityHeaders(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    (isDocsPath(req.path) ? docsHeaders : apiHeaders)(req, res, next);
  });
}
