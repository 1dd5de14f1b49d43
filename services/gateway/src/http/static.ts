import path from 'node:path';
import type { Express } from 'express';
import express from 'express';
import compression from 'compression';

/** Vite's output names: `assets/<name>-<8+ char content hash>.<ext>`. */
const HASHED = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/**
 * Serves the built web client from `dir`, compressed (brotli or gzip, as the browser accepts).
 * Files whose names carry a content hash never change: cached for a year, `immutable`.
 * index.html names the current hashes, so browsers revalidate it on every load (`no-cache`) and
 * pick up a new build at once; anything else is cached for an hour.
 *
 * @example
 *   serveWebClient(app, config.WEB_DIST); // after the /api router
 */
export function serveWebClient(app: Express, dir: string): void {
  // Only what is worth it: the socket and the API are not behind this (mounted after them).
  app.use(compression({ threshold: 1024 }));
  app.use(
    express.static(dir, {
      index: 'index.html',
      setHeaders: (res, file) => {
        const rel = `/${path.relative(dir, file).split(path.sep).join('/')}`;
        if (HASHED.test(rel)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        else if (rel.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
        else res.setHeader('Cache-Control', 'public, max-age=3600');
      },
    }),
  );
}
