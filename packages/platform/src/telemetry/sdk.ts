import type { NodeSDK } from '@opentelemetry/sdk-node';
import type * as Exporter from './exporter';

export type TelemetryState =
  { enabled: true; serviceName: string; endpoint: string } | { enabled: false; reason: string };

let sdk: NodeSDK | undefined;
let state: TelemetryState | undefined;
let stopping: Promise<void> | undefined;

/**
 * Whether traces are exported: only when an OTLP endpoint is configured and the standard
 * OTEL_SDK_DISABLED switch is not set. Without an endpoint the SDK would export to
 * localhost:4318 and fail every few seconds on machines without a collector, so no endpoint
 * means off.
 */
export function telemetrySettings(env: NodeJS.ProcessEnv = process.env): {
  enabled: boolean;
  endpoint?: string;
  reason?: string;
} {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true')
    return { enabled: false, reason: 'OTEL_SDK_DISABLED=true' };
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return { enabled: false, reason: 'no OTEL_EXPORTER_OTLP_ENDPOINT' };
  if ((env.OTEL_TRACES_EXPORTER ?? 'otlp') === 'none')
    return { enabled: false, reason: 'OTEL_TRACES_EXPORTER=none' };
  return { enabled: true, endpoint };
}

/**
 * Starts the OpenTelemetry SDK once per process when tracing is on (exporter.ts: OTLP/HTTP trace
 * export, spans for HTTP, Express, pg and ioredis); with tracing off the SDK is not even loaded.
 * Those libraries are patched when they are required, so the SDK must start before a service
 * loads them: `node --require @tickstream/platform/dist/telemetry/register.js` does that, and
 * bootService calls this again (a no-op then). An absent collector costs failed exports, never
 * a crash.
 *
 * @example
 *   startTelemetry('ingest'); // reads OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SDK_DISABLED, ...
 */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): TelemetryState {
  if (state) return state;
  const settings = telemetrySettings(env);
  if (!settings.enabled || !settings.endpoint) {
    state = { enabled: false, reason: settings.reason ?? 'disabled' };
    return state;
  }
  const name = env.OTEL_SERVICE_NAME || serviceName;
  // Required here, not imported at the top: with tracing off (the default) a service start is
  // spared loading the SDK and its instrumentations. Synchronously, because the preload must
  // patch http, express, pg and ioredis before main.js requires them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createTracingSdk } = require('./exporter') as typeof Exporter;
  sdk = createTracingSdk(name);
  sdk.start();
  state = { enabled: true, serviceName: name, endpoint: settings.endpoint };
  return state;
}

/** Flushes buffered spans and stops the SDK; safe to call twice. Gives up after `timeoutMs`. */
export function shutdownTelemetry(timeoutMs = 5000): Promise<void> {
  if (!sdk) return Promise.resolve();
  stopping ??= Promise.race([
    sdk.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
  ]);
  return stopping;
}
