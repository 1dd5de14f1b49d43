import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createInferenceApp } from '../../src/http';
import { createScorer } from '../../src/scoring';
import { silentLog } from '../../../../test/support/kafka';
import { echoModel, flatVector, freshMetrics, memoryCache } from '../support/fake-model';

const TOKEN = randomBytes(48).toString('base64');

function app(models = echoModel()) {
  const metrics = freshMetrics();
  const cache = memoryCache();
  const latest = new Map([
    ['AAPL', flatVector('AAPL', 0.7)],
    ['BAD', flatVector('BAD', NaN)],
  ]);
  const score = createScorer({ models, batchMax: 256, metrics });
  return {
    cache,
    metrics,
    app: createInferenceApp({
      models,
      score,
      cache,
      latest: (s) => latest.get(s),
      metrics,
      // The internal API is tested in internal.test.ts.
      records: { record: async () => null, reportHtml: async () => null },
      serviceToken: TOKEN,
      log: silentLog,
    }),
  };
}

describe('POST /predict', () => {
  it('scores a cache miss from the latest features, then answers it from the cache', async () => {
    const { app: server, metrics } = app();
    const first = await request(server)
      .post('/predict')
      .set('authorization', `Bearer ${TOKEN}`)
      .send({ symbols: [' aapl', 'MSFT', 'BAD', 'AAPL'] });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      predictions: [{ symbol: 'AAPL', cached: false, label: 'UP' }],
      unknown: ['MSFT', 'BAD'],
      model_version: 'm1',
    });
    const second = await request(server)
      .post('/predict')
      .set('authorization', `Bearer ${TOKEN}`)
      .send({ symbols: ['AAPL'] });
    expect(second.body.predictions).toMatchObject([{ symbol: 'AAPL', cached: true }]);
    const counts = Object.fromEntries(
      (await metrics.cache.get()).values.map((v) => [String(v.labels.result), v.value]),
    );
    expect(counts).toEqual({ hit: 1, miss_scored: 1, miss_unknown: 2 });
  });

  it('refuses a body without 1 to 50 valid symbols', async () => {
    const { app: server } = app();
    for (const body of [{}, { symbols: [] }, { symbols: ['not a symbol!'] }]) {
      const res = await request(server).post('/predict').set('authorization', `Bearer ${TOKEN}`).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('lists every symbol as unknown while no model is loaded', async () => {
    const { app: server } = app({ ...echoModel(), current: undefined });
    const res = await request(server)
      .post('/predict')
      .set('authorization', `Bearer ${TOKEN}`)
      .send({ symbols: ['AAPL'] });
    expect(res.body).toEqual({ predictions: [], unknown: ['AAPL'], model_version: null });
  });

  it('answers only the gateway: 401 without the service token or with another, nothing scored', async () => {
    const { app: server, metrics } = app();
    const body = { symbols: ['AAPL'] };
    const without = await request(server).post('/predict').send(body);
    expect(without.status).toBe(401);
    expect(without.body.code).toBe('SERVICE_TOKEN_REQUIRED');
    const wrong = await request(server)
      .post('/predict')
      .set('authorization', `Bearer ${randomBytes(48).toString('base64')}`)
      .send(body);
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('SERVICE_TOKEN_INVALID');
    expect((await metrics.cache.get()).values).toEqual([]);
  });
});
