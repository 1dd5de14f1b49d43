import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FeatureVector, Prediction } from '@tickstream/contracts';
import { DLQ_HEADERS } from '@tickstream/platform';
import { TEST_SECRETS, eventually } from '../../../test/support/env';
import type { ServiceProcess } from '../../../test/support/service-process';
import { startService } from '../../../test/support/service-process';
import type { TrainingReport } from '../src/training/report';
import { collect } from './support/collector';
import { registerGarbageModel, registerTestModel } from './support/models';
import type { InferenceBed } from './support/inference-bed';
import { inferenceBed } from './support/inference-bed';
import { featureVectors, interleave } from './support/vectors';

const DEFAULT_VERSION = (
  JSON.parse(
    readFileSync(path.resolve(__dirname, '../../../models/default/report.json'), 'utf8'),
  ) as TrainingReport
).version;
const LOAD_SYMBOLS = ['SPY', 'QQQ', 'NVDA', 'AMD', 'META', 'GOOGL'];

describe('inference service through the real broker, Postgres and Redis', () => {
  let inference: InferenceBed;
  let deadLetterLog: Awaited<ReturnType<typeof collect>>;
  let service: ServiceProcess;
  const vectors = featureVectors(['AAPL', 'MSFT', ...LOAD_SYMBOLS], 420);

  beforeAll(async () => {
    inference = await inferenceBed('inference', 'inference');
    deadLetterLog = await collect(inference.bed.kafka, inference.bed.names.of('deadLetters'));
    service = await startService('inference', { ...inference.env, MODEL_POLL_MS: '200' });
  }, 90000);

  afterAll(async () => {
    await service?.stop();
    await deadLetterLog?.stop();
    await inference?.close();
  });

  const predictions = (): Promise<Prediction[]> =>
    Promise.all(
      inference.predictionLog.messages.map((m) => inference.bed.codec.decode('predictions', m.value)),
    );
  const predictionsOf = async (symbols: readonly string[]) =>
    (await predictions()).filter((p) => symbols.includes(p.symbol));
  // /predict answers only the gateway, which sends the service token.
  const asGateway = { authorization: `Bearer ${TEST_SECRETS.INFERENCE_SERVICE_TOKEN}` };
  const predict = async (symbols: string[]) => {
    const res = await fetch(`http://127.0.0.1:${service.port}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asGateway },
      body: JSON.stringify({ symbols }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      predictions: (Prediction & { cached: boolean })[];
      unknown: string[];
      model_version: string | null;
    };
  };
  const servingVersion = async (version: string) =>
    eventually(
      async () => (await predict(['AAPL'])).model_version === version,
      15000,
      `model ${version} to serve`,
    );

  it('serves the shipped default model while the registry has none: features in, predictions out with model version and latency', async () => {
    const sent = ['AAPL', 'MSFT'].flatMap((s) => vectors.get(s)!.slice(0, 40));
    await inference.send(sent);
    const got = await eventually(
      async () => {
        const p = await predictionsOf(['AAPL', 'MSFT']);
        return p.length >= sent.length && p;
      },
      30000,
      'predictions of the first vectors',
    );
    expect(got.map((p) => `${p.symbol}@${p.bar_time}`).sort()).toEqual(
      sent.map((v) => `${v.symbol}@${v.bar_time}`).sort(),
    );
    for (const p of got) {
      expect(p).toMatchObject({
        model_version: DEFAULT_VERSION,
        horizon_bars: 5,
        feature_set_version: 'fs1',
        label: p.prob_up >= 0.5 ? 'UP' : 'DOWN',
      });
      expect(p.prob_up).toBeGreaterThanOrEqual(0);
      expect(p.prob_up).toBeLessThanOrEqual(1);
      expect(p.latency_ms).toBe(p.predicted_time - p.features_time);
      expect(p.latency_ms).toBeGreaterThanOrEqual(0);
      expect(p.latency_ms).toBeLessThan(10000);
    }
  });

  it("answers the gateway's model questions on its internal API, behind the service token", async () => {
    const url = `http://127.0.0.1:${service.port}/internal/v1/models/${DEFAULT_VERSION}`;
    const record = await fetch(url, {
      headers: { authorization: `Bearer ${TEST_SECRETS.INFERENCE_SERVICE_TOKEN}` },
    });
    expect(record.status).toBe(200);
    expect(await record.json()).toMatchObject({ version: DEFAULT_VERSION, horizonBars: 5 });
    expect((await fetch(url)).status).toBe(401);
  });

  it('dead-letters a NaN vector and a wrong feature-set version with the reason, and keeps consuming', async () => {
    const [a, b, c] = vectors.get('MSFT')!.slice(40, 43) as [FeatureVector, FeatureVector, FeatureVector];
    await inference.send([{ ...a, rsi14: NaN }, { ...b, feature_set_version: 'fs0' }, c]);
    await eventually(
      async () => (await predictionsOf(['MSFT'])).some((p) => p.bar_time === c.bar_time),
      20000,
      'the valid vector after the bad ones',
    );
    const letters = await eventually(
      () => deadLetterLog.messages.length >= 2 && deadLetterLog.messages,
      10000,
      'two dead letters',
    );
    const header = (m: (typeof letters)[number], name: string) => m.headers?.[name]?.toString();
    expect(letters.map((m) => header(m, DLQ_HEADERS.reasonCode))).toEqual([
      'INVALID_FEATURES',
      'INVALID_FEATURES',
    ]);
    expect(header(letters[0]!, DLQ_HEADERS.reason)).toMatch(/non-finite features: rsi14/);
    expect(header(letters[1]!, DLQ_HEADERS.reason)).toMatch(/feature set fs0/);
    expect(letters.map((m) => header(m, DLQ_HEADERS.sourceTopic))).toEqual([
      inference.bed.names.of('features'),
      inference.bed.names.of('features'),
    ]);
    const scored = (await predictionsOf(['MSFT'])).map((p) => p.bar_time);
    expect(scored).not.toContain(a.bar_time);
    expect(scored).not.toContain(b.bar_time);
  });

  it('answers POST /predict from the Redis cache, and on a miss from features.latest', async () => {
    // A fresh AAPL prediction, so the cache entry cannot have expired (ML_CACHE_TTL 30 s) on a slow run.
    const fresh = vectors.get('AAPL')![60]!;
    await inference.send([fresh]);
    await eventually(
      async () => (await predictionsOf(['AAPL'])).some((p) => p.bar_time === fresh.bar_time),
      20000,
      'a fresh AAPL prediction',
    );
    const latestOnly = { ...vectors.get('GOOGL')!.at(-1)!, symbol: 'ZZZ', computed_time: Date.now() };
    await inference.producer.send('featuresLatest', [{ key: 'ZZZ', value: latestOnly }]);
    const first = await eventually(
      async () => {
        const r = await predict(['aapl', 'ZZZ', 'NOPE']);
        return r.predictions.length === 2 && r;
      },
      15000,
      'ZZZ to be known from features.latest',
    );
    expect(first.unknown).toEqual(['NOPE']);
    expect(first.predictions.find((p) => p.symbol === 'AAPL')).toMatchObject({
      cached: true,
      model_version: DEFAULT_VERSION,
    });
    expect(first.predictions.find((p) => p.symbol === 'ZZZ')).toMatchObject({
      cached: false,
      bar_time: latestOnly.bar_time,
      model_version: DEFAULT_VERSION,
    });
    const again = await predict(['ZZZ']);
    expect(again.predictions[0]).toMatchObject({
      symbol: 'ZZZ',
      cached: true,
      bar_time: latestOnly.bar_time,
    });
  });

  it("refuses a bad POST /predict with the gateway's error body: {code, message, details}", async () => {
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${service.port}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...asGateway },
        body,
      });
    const invalid = await post(JSON.stringify({ symbols: ['AAPL', 'BRK..B'] }));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('ticker symbols'),
      details: [{ path: 'symbols.1', message: expect.any(String) }],
    });
    const notJson = await post('{"symbols": [');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ code: 'INVALID_JSON', message: expect.any(String) });
  });

  it('swaps to a promoted model under load without dropping or double-scoring a vector', async () => {
    const training = vectors.get('AAPL')!;
    const modelA = await registerTestModel(inference.reg.registry, training, 1);
    const modelB = await registerTestModel(inference.reg.registry, training, 2);
    await inference.reg.registry.promote(modelA);
    await servingVersion(modelA);

    const load = interleave(LOAD_SYMBOLS.map((s) => vectors.get(s)!));
    const chunks = Array.from({ length: Math.ceil(load.length / 40) }, (_, i) =>
      load.slice(i * 40, i * 40 + 40),
    );
    const third = Math.floor(chunks.length / 3);
    for (const [i, chunk] of chunks.entries()) {
      // Promote once A has scored every symbol, and keep streaming while the service swaps; the
      // last third waits for B so both models are sure to appear however slow the machine is.
      if (i === third) {
        await eventually(
          async () =>
            new Set((await predictionsOf(LOAD_SYMBOLS)).map((p) => p.symbol)).size === LOAD_SYMBOLS.length,
          20000,
          'model A to score every symbol',
        );
        await inference.reg.registry.promote(modelB);
      }
      if (i === 2 * third) await servingVersion(modelB);
      await inference.send(chunk);
      await new Promise((r) => setTimeout(r, 25));
    }
    await eventually(
      async () => (await predictionsOf(LOAD_SYMBOLS)).length >= load.length,
      30000,
      'every vector of the load to be scored',
    );
    await new Promise((r) => setTimeout(r, 1500)); // room for a duplicate to show up
    const got = await predictionsOf(LOAD_SYMBOLS);
    for (const s of LOAD_SYMBOLS) {
      const mine = got.filter((p) => p.symbol === s);
      expect(mine.map((p) => p.bar_time)).toEqual(vectors.get(s)!.map((v) => v.bar_time)); // each once, in order
      const versions = mine.map((p) => p.model_version);
      // One switch per symbol, A then B: its partition is scored batch by batch, one model per batch.
      expect(versions.indexOf(modelB)).toBeGreaterThan(0);
      expect(versions.lastIndexOf(modelA)).toBe(versions.indexOf(modelB) - 1);
      expect(new Set(versions)).toEqual(new Set([modelA, modelB]));
    }
  }, 90000);

  it('refuses a corrupt model promoted in the registry and keeps serving the current one', async () => {
    const serving = (await predict(['AAPL'])).model_version!;
    const garbage = await registerGarbageModel(inference.reg.registry);
    await inference.reg.registry.promote(garbage);
    await eventually(
      () => service.output().includes('refused a model'),
      10000,
      'the garbage model to be refused',
    );

    const tampered = await registerTestModel(inference.reg.registry, vectors.get('MSFT')!, 3);
    await inference.reg
      .db('models')
      .where({ version: tampered })
      .update({ onnx: Buffer.from('tampered bytes') });
    await inference.reg.registry.promote(tampered);
    await eventually(
      () => service.output().includes('MODEL_CORRUPT'),
      10000,
      'the tampered model to be refused',
    );

    const after = vectors.get('AAPL')!.slice(40, 60);
    await inference.send(after);
    const got = await eventually(
      async () => {
        const times = new Set(after.map((v) => v.bar_time));
        const p = (await predictionsOf(['AAPL'])).filter((x) => times.has(x.bar_time));
        return p.length >= after.length && p;
      },
      20000,
      'predictions after the refused promotions',
    );
    expect(new Set(got.map((p) => p.model_version))).toEqual(new Set([serving]));
    // Refused bytes are not reloaded at every 200 ms poll.
    expect(service.output().match(/refused a model/g)).toHaveLength(2);
    expect((await fetch(`http://127.0.0.1:${service.port}/readyz`)).status).toBe(200);
  });
});
