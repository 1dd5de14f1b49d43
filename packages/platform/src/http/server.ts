import http from 'node:http';
import type { HealthOptions } from './health';
import { answerHealth, sendJson } from './health';

/**
 * A standalone health server for services without their own HTTP server.
 *
 * @example
 *   const server = await startHealthServer({ host, port: 9101, lifecycle, metrics, checks: { kafka: () => true } });
 */
export async function startHealthServer(
  opts: HealthOptions & { host: string; port: number },
): Promise<http.Server> {
  const server = createAppServer(opts, (_req, res) => sendJson(res, 404, { error: 'not found' }));
  await listenHttp(server, opts.port, opts.host);
  return server;
}

/**
 * One HTTP server for the health endpoints and a service's own app: /healthz, /readyz and
 * /metrics are answered here (and every request is measured), anything else goes to `app`.
 * Not listening yet, so a Socket.IO server can attach first; start it with `listenHttp`.
 *
 * @example
 *   const server = createAppServer({ lifecycle, metrics, checks: { kafka: kit.kafkaReady } }, app);
 *   await listenHttp(server, config.HTTP_PORT, config.HEALTH_HOST);
 */
export function createAppServer(opts: HealthOptions, app: http.RequestListener): http.Server {
  return http.createServer((req, res) => {
    answerHealth(opts, req, res)
      .then((handled) => {
        if (!handled) app(req, res);
      })
      .catch(() => sendJson(res, 500, { error: 'health check failed' }));
  });
}

/** Listens on host:port; rejects when the port cannot be taken (in use, not permitted). */
export async function listenHttp(server: http.Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
