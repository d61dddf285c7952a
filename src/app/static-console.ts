/**
 * The web console (web/, built by `npm run build` into dist/web) served as static files at `/` by the same
 * HTTP server as the API, so `npm start` is a usable product on one port. The console is only a GraphQL
 * client of /graphql: nothing here knows a domain.
 *
 * Caching: Vite names every asset by its content hash (`/assets/index-3f9a1c.js`), so those are `immutable`
 * for a year; index.html names the current assets and is `no-cache` (revalidated on every load), so a new
 * build is picked up at the next reload. Every answer carries a Content-Security-Policy without inline
 * scripts or styles (the build emits none) and refuses framing.
 *
 * Deep links (`/transfers`, `/connectors/conn_…/mappings`) are the SPA's own routes: a browser's GET for a
 * path that is not a file gets index.html. The API's prefixes are never swallowed (their unknown paths keep
 * their own JSON / SOAP answers), nor is a missing asset (a stale `/assets/…` is a 404, not HTML served as JS).
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import { PROJECT_ROOT } from './config.js';

/** Where `npm run build` writes the console (web/vite.config.ts `build.outDir`). */
export const CONSOLE_DIST_DIR = path.join(PROJECT_ROOT, 'dist', 'web');

/** Paths the API owns: never answered with the console. */
const API_PREFIXES = ['/graphql', '/qbwc', '/qwc', '/healthz', '/metrics'];

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

function ownedByApi(urlPath: string): boolean {
  return API_PREFIXES.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));
}

/**
 * The console's router, or undefined when it was not built (the API still serves; `/` is then a 404 naming
 * the API's routes, as before the console existed).
 */
export function consoleRouter(distDir: string = CONSOLE_DIST_DIR): Router | undefined {
  const indexFile = path.join(distDir, 'index.html');
  if (!fs.existsSync(indexFile)) return undefined;
  const router = express.Router();
  const files = express.static(distDir, {
    index: false,
    fallthrough: true,
    setHeaders(res, filePath) {
      const hashed = path.relative(distDir, filePath).startsWith(`assets${path.sep}`);
      res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendIndex: RequestHandler = (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  };
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || ownedByApi(req.path)) return next();
    securityHeaders(req, res, () => {
      if (req.path === '/' || req.path === '/index.html') return sendIndex(req, res, next);
      files(req, res, () => {
        // Not a file. A route of the SPA has no extension and is asked for as a page (a browser's navigation
        // sends Accept: text/html); anything else, a script's `*/*` included, keeps the API's 404.
        const lastSegment = req.path.split('/').pop() ?? '';
        const page = (req.get('accept') ?? '').includes('text/html');
        if (page && !lastSegment.includes('.') && !req.path.startsWith('/assets/')) return sendIndex(req, res, next);
        next();
      });
    });
  });
  return router;
}
