import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// The API serves the built app (dist/) itself; in `npm run dev` Vite proxies the API's paths to it.
const API = process.env.BORDA_API_URL ?? 'http://127.0.0.1:3000';
const API_PATHS = ['/auth', '/users', '/campaigns', '/assignments', '/simulations', '/catalog', '/health', '/docs'];

/**
 * Responses are untrusted model output: in the built app nothing remote loads and no inline script
 * runs, whatever the Markdown renderer lets through. (Dev mode needs React's inline refresh preamble.)
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'borda-content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), contentSecurityPolicy()],
  resolve: {
    alias: { '@borda/api-contract': fileURLToPath(new URL('../../libs/api-contract/src/index.ts', import.meta.url)) },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: Object.fromEntries(
      API_PATHS.map((path) => [
        path,
        // Browser navigations to client routes stay with Vite; API calls (Accept: application/json) go to the API.
        { target: API, bypass: (req) => (req.headers.accept?.includes('text/html') ? req.url : undefined) },
      ]),
    ),
  },
});
