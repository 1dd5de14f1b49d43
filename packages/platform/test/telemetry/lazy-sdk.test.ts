import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
const REGISTER = path.join(ROOT, 'packages/platform/src/telemetry/register.ts');

/**
 * The @opentelemetry packages a process has loaded after the telemetry preload ran, as the
 * services run it (`--require .../register`), from the sources through tsx.
 */
function loadedAfterPreload(env: Record<string, string>): string[] {
  const out = execFileSync(
    process.execPath,
    [
      '--require',
      'tsx/cjs',
      '--require',
      REGISTER,
      '-e',
      `const seen = new Set(Object.keys(require.cache).flatMap((f) => {
         const m = /node_modules\\/(@opentelemetry\\/[^/]+)\\//.exec(f);
         return m ? [m[1]] : [];
       }));
       process.stdout.write(JSON.stringify([...seen].sort()));
       process.exit(0);`,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } },
  );
  return JSON.parse(out) as string[];
}

// Issue 16 item 7: a restarted service should not pay for the tracing SDK (about 0.4 s of CPU,
// seconds on a busy machine) when it exports nothing.
describe('telemetry preload', () => {
  it('does not load the OpenTelemetry SDK when tracing is off', () => {
    const loaded = loadedAfterPreload({});
    expect(loaded).not.toContain('@opentelemetry/sdk-node');
    expect(loaded).not.toContain('@opentelemetry/instrumentation-http');
  });

  it('loads it, with the instrumentations, when an OTLP endpoint is set', () => {
    // Nothing listens there: no span is made, so nothing is exported.
    const loaded = loadedAfterPreload({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    expect(loaded).toEqual(
      expect.arrayContaining([
        '@opentelemetry/sdk-node',
        '@opentelemetry/instrumentation-http',
        '@opentelemetry/instrumentation-pg',
      ]),
    );
  });
});
