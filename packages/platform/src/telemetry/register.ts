// Preloaded with `node --require .../telemetry/register.js services/<name>/dist/main.js` so that
// instrumentation is in place before main.ts requires http, express, pg and ioredis.
import path from 'node:path';
import { startTelemetry } from './sdk';

function serviceFromEntry(entry: string | undefined): string {
  const parts = path.resolve(entry ?? '').split(path.sep);
  const at = parts.lastIndexOf('services');
  return at >= 0 && parts[at + 1] ? parts[at + 1]! : 'tickstream';
}

startTelemetry(serviceFromEntry(process.argv[1]));
