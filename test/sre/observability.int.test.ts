import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Prediction } from '@tickstream/contracts';
import { exportOnnx, trainForest } from '@tickstream/model';
import { TEST_ENV, eventually } from '../support/env';
import type { ClientSocket } from '../support/gateway-client';
import { api, connectSocket, connected, signUp } from '../support/gateway-client';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed } from '../support/kafka';
import type { ServiceProcess } from '../support/service-process';
import { startService } from '../support/service-process';
import { declaredMetricNames } from './support/metric-names';
import type { ReceivedSpan } from './support/otlp-receiver';
import { startOtlpReceiver } from './support/otlp-receiver';
import type { PrometheusProcess } from './support/prometheus';
import { startPrometheus } from './support/prometheus';

const ROOT = path.resolve(__dirname, '../..');
const REGISTER = path.join(ROOT, 'packages/platform/dist/telemetry/register.js');
const PIPELINE = ['ingest', 'features', 'inference', 'gateway'] as const;

/** A small forest on random rows: any model that loads will do, the test is about telemetry. */
function modelFile(dir: string): string {
  const nRows = 400;
  const x = new Float32Array(nRows * 13).map(() => Math.random() * 2 - 1);
  const y = Uint8Array.from({ length: nRows }, (_, i) => (x[i * 13]! > 0 ? 1 : 0));
  const file = path.join(dir, 'model.onnx');
  fs.writeFileSync(
    file,
    exportOnnx(trainForest({ x, y, nRows, nFeatures: 13 }, { nTrees: 3, maxDepth: 3, seed: 1 }), {
      horizon: 5,
      modelVersion: 'sre-test',
    }),
  );
  return file;
}

// The four streaming services as child processes from their dist, preloaded with the telemetry
// register exactly as scripts/services.mjs and the Dockerfile run them, exporting to an
// in-test OTLP receiver and scraped by a real Prometheus that also loads deploy/prometheus's
// alert rules.
describe('observability of the running pipeline', () => {
  let bed: KafkaTestbed;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let prometheus: PrometheusProcess;
  let socket: ClientSocket | undefined;
  let tmp: string;
  const services = new Map<string, ServiceProcess>();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sre-'));
    bed = await kafkaTestbed('sre');
    // Four services registering the same new subjects at once race in the registry.
    await bed.codec.registerAll();
    receiver = await startOtlpReceiver();
    const common = {
      TOPIC_PREFIX: bed.prefix,
      REDIS_KEY_PREFIX: `${bed.prefix}:`,
      DATABASE_URL: TEST_ENV.DATABASE_URL,
      NODE_OPTIONS: `--require ${REGISTER}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      HEALTH_HOST: '127.0.0.1',
    };
    const started = await Promise.all([
      startService('ingest', {
        ...common,
        INGEST_SOURCE: 'sim',
        DEFAULT_SYMBOLS: 'AAPL',
        SIM_BAR_INTERVAL_MS: '1000',
        SIM_HISTORY_BARS: '60',
      }),
      startService('features', common),
      startService('inference', { ...common, MODEL_FILE: modelFile(tmp) }),
      startService('gateway', { ...common, MARKET_UPDATE_INTERVAL: '100' }),
    ]);
    PIPELINE.forEach((name, i) => services.set(name, started[i]!));
    prometheus = await startPrometheus(
      Object.fromEntries(PIPELINE.map((name) => [name, `127.0.0.1:${services.get(name)!.port}`])),
      [path.join(ROOT, 'deploy/prometheus/rules/tickstream.rules.yml')],
    );
  }, 120000);

  afterAll(async () => {
    socket?.close();
    await Promise.all([...services.values()].map((s) => s.stop()));
    await prometheus?.stop();
    await receiver?.close();
    await bed?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 60000);

  it('follows one tick in one trace from ingest through features and inference to the socket emit', async () => {
    const gateway = `http://127.0.0.1:${services.get('gateway')!.port}`;
    const { accessToken } = await signUp(gateway, 'sre-trace');
    await api(gateway, 'POST', '/api/watchlists', { name: 'Trace', symbols: ['AAPL'] }, accessToken);
    socket = connectSocket(gateway, accessToken);
    await connected(socket);
    const predictions: Prediction[] = [];
    socket.on('prediction', (p) => predictions.push(p));
    expect(await socket.timeout(10000).emitWithAck('subscribe', ['AAPL'])).toEqual({
      ok: true,
      symbols: ['AAPL'],
    });
    await eventually(() => predictions.length > 0, 45000, 'a prediction on the socket');

    // Complete means parent links, not just a shared id: every span but the ingest root names a
    // parent that is in the trace.
    const trace = await eventually(
      () => {
        const byTrace = new Map<string, ReceivedSpan[]>();
        for (const s of receiver.spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
        return [...byTrace.values()].find((spans) => {
          const ids = new Set(spans.map((s) => s.spanId));
          const roots = spans.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
          return (
            spans.some((s) => s.service === 'gateway' && s.name === 'socket.io emit prediction') &&
            PIPELINE.every((svc) => spans.some((s) => s.service === svc)) &&
            roots.length === 1 &&
            roots[0]!.service === 'ingest'
          );
        });
      },
      20000,
      'a connected trace with spans of all four services',
    ).catch((err: Error) => {
      // What was received instead: the traces that reached the socket, by service and root.
      const byTrace = new Map<string, ReceivedSpan[]>();
      for (const s of receiver.spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
      const seen = [...byTrace.values()]
        .filter((spans) => spans.some((s) => s.name === 'socket.io emit prediction'))
        .slice(0, 5)
        .map((spans) => {
          const ids = new Set(spans.map((s) => s.spanId));
          return spans.map((s) => `${s.service}:${s.name}${ids.has(s.parentSpanId ?? '') ? '' : ' (root)'}`);
        });
      throw new Error(
        `${err.message}\n${receiver.spans.length} spans; traces ending in an emit:\n${JSON.stringify(seen, null, 1)}`,
      );
    });

    const names = (svc: string) => trace.filter((s) => s.service === svc).map((s) => s.name);
    expect(names('ingest')).toEqual(expect.arrayContaining([expect.stringMatching(/^send .*md\.bars\.v1/)]));
    expect(names('features')).toEqual(expect.arrayContaining([`process ${bed.names.of('bars')}`]));
    expect(names('inference')).toEqual(
      expect.arrayContaining([`process ${bed.names.of('features')}`, `send ${bed.names.of('predictions')}`]),
    );
    expect(names('gateway')).toEqual(
      expect.arrayContaining([`process ${bed.names.of('predictions')}`, 'socket.io emit prediction']),
    );
    // HTTP, Postgres and Redis spans come from the instrumentation the preload registered.
    const system = (s: ReceivedSpan) => s.attributes['db.system.name'] ?? s.attributes['db.system'];
    const gatewaySpans = receiver.spans.filter((s) => s.service === 'gateway');
    expect(
      gatewaySpans.some(
        (s) => (s.attributes['http.request.method'] ?? s.attributes['http.method']) === 'POST',
      ),
    ).toBe(true);
    expect(gatewaySpans.some((s) => system(s) === 'postgresql')).toBe(true);
    expect(receiver.spans.some((s) => s.service === 'inference' && system(s) === 'redis')).toBe(true);
  }, 90000);

  it('is scraped by Prometheus, and PromQL finds the RED, Kafka and domain series', async () => {
    const value = async (promql: string) =>
      (await prometheus.query(promql)).map((r) => ({ ...r.metric, value: Number(r.value[1]) }));
    await eventually(
      async () => (await value('up')).filter((r) => r.value === 1).length === PIPELINE.length || undefined,
      20000,
      'every target up',
    );
    await eventually(
      async () =>
        (await value('sum(increase(ingest_records_published_total[30s])) > 0')).length > 0 || undefined,
      20000,
      'ingest throughput',
    );
    const lagGroups = (await value('max by (consumergroup) (kafka_consumergroup_lag)')).map(
      (r) => (r as { consumergroup?: string }).consumergroup,
    );
    expect(lagGroups).toEqual(expect.arrayContaining([`${bed.prefix}features`, `${bed.prefix}inference`]));
    expect(lagGroups.some((g) => g?.startsWith(`${bed.prefix}gateway-`))).toBe(true);
    expect(
      (
        await value('time() - max by (topic) (kafka_consumer_last_record_timestamp_seconds{job="features"})')
      )[0]?.value,
    ).toBeLessThan(300);
    expect(
      await value(
        'histogram_quantile(0.99, sum by (le, job) (rate(http_server_request_duration_seconds_bucket[1m])))',
      ),
    ).not.toHaveLength(0);
    expect((await value('inference_predictions_total'))[0]?.value).toBeGreaterThan(0);
    expect((await value('count(inference_model_info{version="sre-test"})'))[0]?.value).toBe(1);
    await eventually(
      async () => (await value('gateway_active_users'))[0]?.value === 1 || undefined,
      10000,
      'one active user',
    );
    expect((await value('gateway_connected_sockets'))[0]?.value).toBe(1);
    expect((await value('sum(gateway_messages_sent_total)'))[0]?.value).toBeGreaterThan(0);

    // Every series the services export is a name the sources declare (so the static check of
    // the dashboards against declared names is a check against what is really exported).
    const exported = (
      (await (await fetch(`${prometheus.url}/api/v1/label/__name__/values`)).json()) as { data: string[] }
    ).data;
    const declared = declaredMetricNames();
    const ours = exported.filter(
      (n) => !n.startsWith('scrape_') && !n.startsWith('prometheus_') && !n.startsWith('ALERTS'),
    );
    const strip = (n: string) => n.replace(/_(bucket|sum|count)$/, '');
    expect(ours.filter((n) => !declared.has(n) && !declared.has(strip(n)))).toEqual([]);

    const rules = (
      (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as {
        data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
      }
    ).data.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(5);
    expect(rules.filter((r) => r.health === 'err')).toEqual([]);
  }, 60000);
});
