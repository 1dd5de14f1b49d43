import type { Express, RequestHandler } from 'express';
import express from 'express';
import cors from 'cors';
import helmet from 'helmet';
import { UnsupportedMediaTypeError } from '../request';

export interface SecurityOptions {
  /** Exact origins (scheme://host[:port]) allowed to call the API from a browser; none by default. */
  corsOrigins: readonly string[];
}

/**
 * Security headers and CORS for the whole app; call before mounting routers. Tokens travel in
 * the Authorization header, never in cookies, so CORS does not allow credentials and a page on a
 * foreign origin cannot read any answer.
 *
 * @example
 *   const app = express();
 *   applySecurity(app, { corsOrigins: config.CORS_ORIGINS });
 *   app.use('/api', createApiRouter(deps));
 */
export function applySecurity(app: Express, opts: SecurityOptions): void {
  app.disable('x-powered-by');
  app.use(
    helmet({
      // The gateway serves the web client's own files and JSON: scripts, styles, images and
      // connections (REST and the socket) from this origin only; nothing may frame it.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // lightweight-charts and the components set element styles at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginResourcePolicy: { policy: 'same-site' },
    }),
  );
  const allowed = new Set(opts.corsOrigins);
  app.use(
    cors({
      origin: (origin, done) => done(null, origin !== undefined && allowed.has(origin)),
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      exposedHeaders: ['Retry-After'],
      credentials: false,
      maxAge: 600,
    }),
  );
}

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Strict JSON (objects and arrays only) up to `limitBytes`; anything larger is answered 413. A
 * body of any other type is answered 415: every route that reads a body reads JSON, and a body
 * the parser skipped would otherwise reach the route as a missing one ("(root): required"), which
 * hides what went wrong (curl -d sends application/x-www-form-urlencoded unless told otherwise).
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, strict: true, type: JSON_TYPES });
  return (req, res, next) => {
    const chunked = req.headers['transfer-encoding'] !== undefined;
    const length = Number(req.headers['content-length'] ?? 0);
    if ((chunked || length > 0) && !req.is(JSON_TYPES))
      return next(new UnsupportedMediaTypeError('send the body as JSON: Content-Type: application/json'));
    parse(req, res, next);
  };
}

/** Answers carry tokens and account data: no shared cache may keep them. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
