export { shutdownTelemetry, startTelemetry, telemetrySettings } from './sdk';
export type { TelemetryState } from './sdk';
export { contextFromHeaders, inNewTrace, inSpan, tracedProcess, tracedSend } from './kafka';
