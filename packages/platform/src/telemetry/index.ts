export { shutdownTelemetry, startTelemetry, telemetrySettings } from './sdk';
export type { TelemetryState } from './sdk';
export { contextFromHeaders, inSpan, tracedProcess, tracedSend } from './kafka';
