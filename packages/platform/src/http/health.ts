import type http from 'node:http';
import client from 'prom-client';
import type { Registry } from 'prom-client';
import type { Lifecycle } from '../lifecycle';

/** A named dependency check for /readyz; it should answer fast (it is polled by probes). */
export type ReadinessCheck = () => Promise<boolean> | boolean;

/**
 * How long /readyz waits for one dependency check before counting it as down. Checks run in
 * parallel, so /readyz answers within about this long even when a dependency accepts connections
 * and never answers (a probe's own timeout is often 1 s). A check still running goes on in the
 * background; cached checks (`cachedCheck`) then answer the next poll from its result.
 */
export const READINESS_CHECK_TIMEOUT_MS = 500;

export interface HealthOptions {
  lifecycle: Lifecycle;
  metrics: Registry;
  checks: Record<string, ReadinessCheck>;
  /** Default READINESS_CHECK_TIMEOUT_MS. */
  checkTimeoutMs?: number;
}

async function runChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return [name, await Promise.race([Promise.resolve().then(check), late])] as const;
      } catch {
        return [name, false] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return Object.fromEntries(entries);
}

const HEALTH_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const durations = new WeakMap<Registry, client.Histogram<'method' | 'route' | 'status_code'>>();

/**
 * The RED metrics of every HTTP server that answers through here (all of them do: answerHealth
 * sees each request first). The route label is the Express route template when one matched,
 * never the raw path, so ids in paths cannot explode the series count.
 */
function observeRequest(
  registry: Registry,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): void {
  let histogram = durations.get(registry);
  if (!histogram) {
    histogram = new client.Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    durations.set(registry, histogram);
  }
  const end = histogram.startTimer();
  res.once('finish', () => {
    const matched = req as http.IncomingMessage & { baseUrl?: string; route?: { path?: unknown } };
    const route = HEALTH_PATHS.has(path)
      ? path
      : typeof matched.route?.path === 'string'
        ? `${matched.baseUrl ?? ''}${matched.route.path}`
        : 'unmatched';
    end({ method: req.method ?? 'GET', route, status_code: String(res.statusCode) });
  });
}

/**
 * Answers /healthz, /readyz and /metrics; returns undefined for other paths so the gateway can
 * mount it in front of its own routes.
 *
 *   /healthz  200 while the process is up and not stopped (liveness)
 *   /readyz   200 when running and every dependency check passes within checkTimeoutMs; JSON
 *             names each dependency
 *   /metrics  Prometheus text format
 */
export async function answerHealth(
  opts: HealthOptions,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  observeRequest(opts.metrics, req, res, path);
  if (path === '/healthz') {
    const alive = opts.lifecycle.state !== 'stopped';
    sendJson(res, alive ? 200 : 503, { status: alive ? 'ok' : 'stopped', state: opts.lifecycle.state });
    return true;
  }
  if (path === '/readyz') {
    const dependencies = await runChecks(opts.checks, opts.checkTimeoutMs ?? READINESS_CHECK_TIMEOUT_MS);
    const ready = opts.lifecycle.isReady && Object.values(dependencies).every(Boolean);
    sendJson(res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'not ready',
      state: opts.lifecycle.state,
      dependencies,
    });
    return true;
  }
  if (path === '/metrics') {
    res.writeHead(200, { 'content-type': opts.metrics.contentType });
    res.end(await opts.metrics.metrics());
    return true;
  }
  return false;
}

/** A JSON answer that no cache keeps. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
