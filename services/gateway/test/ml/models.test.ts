import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { createLogger } from '@tickstream/platform';
import { BEATING_HELD_OUT, BEATING_METRICS } from '../../../../test/support/model-record';
import { freePort } from '../../../../test/support/service-process';
import { createApiRouter } from '../../src/http';
import type { InferenceApi } from '../../src/ml';
import { inferenceApi } from '../../src/ml';
import { bearer, harnessForFile, signUp, signUpAdmin } from '../http/harness';

// The registry is inference's: these routes ask its internal API (the harness runs it in-process
// over the test database), and the tests write the registry rows they need there.

const h = harnessForFile();

it("answers a registered model's held-out accuracy, its baselines and the signal band", async () => {
  const a = await signUp(h.app);
  const version = `rf-test-${randomUUID().slice(0, 8)}`;
  await h.db('models').insert({
    version,
    params: JSON.stringify({ horizon: 5 }),
    feature_names: JSON.stringify([]),
    feature_set_version: 'fs1',
    horizon: 5,
    metrics: JSON.stringify(BEATING_METRICS),
    sha256: '0'.repeat(64),
    onnx: Buffer.from([1]),
  });
  try {
    const res = await request(h.app).get(`/api/ml/models/${version}`).set(bearer(a));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      version,
      ...BEATING_HELD_OUT,
      signalBand: 0.05,
    });
  } finally {
    await h.db('models').where({ version }).delete();
  }
});

it('answers the shipped default model from its report when the registry does not hold it', async () => {
  const a = await signUp(h.app);
  const report = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../../../../models/default/report.json'), 'utf8'),
  ) as { version: string; evaluation: { pooled: { model: { accuracy: number } } } };
  const res = await request(h.app).get(`/api/ml/models/${report.version}`).set(bearer(a));
  expect(res.status).toBe(200);
  expect(res.body.heldOut.model.accuracy).toBe(report.evaluation.pooled.model.accuracy);
  expect(res.body.beatsBaselines).toBe(false);
});

it('answers 404 for an unknown version and 401 without a token', async () => {
  const a = await signUp(h.app);
  expect((await request(h.app).get('/api/ml/models/rf-nope').set(bearer(a))).status).toBe(404);
  expect((await request(h.app).get('/api/ml/models/rf-nope')).status).toBe(401);
});

describe('GET /api/admin/models/:version/report', () => {
  const page = '<!doctype html><html><body><h1>Model report</h1></body></html>';
  const insert = (version: string, html: string | null) =>
    h.db('models').insert({
      version,
      params: '{}',
      feature_names: '[]',
      feature_set_version: 'fs1',
      horizon: 5,
      metrics: '{}',
      sha256: '0'.repeat(64),
      onnx: Buffer.from([1]),
      report_html: html,
    });

  it('serves the page the registry keeps to admins only, as inert HTML', async () => {
    const version = `rf-test-${randomUUID().slice(0, 8)}`;
    await insert(version, page);
    try {
      const url = `/api/admin/models/${version}/report`;
      const admin = await signUpAdmin(h);
      const ok = await request(h.app).get(url).set(bearer(admin));
      expect(ok.status).toBe(200);
      expect(ok.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(ok.headers['content-security-policy']).toMatch(/^default-src 'none'/);
      expect(ok.headers['cache-control']).toMatch(/no-store/);
      expect(ok.text).toBe(page);

      const trader = await signUp(h.app);
      const refused = await request(h.app).get(url).set(bearer(trader));
      expect(refused.status).toBe(403);
      expect(refused.text).not.toContain('Model report');
      expect((await request(h.app).get(url)).status).toBe(401);
    } finally {
      await h.db('models').where({ version }).delete();
    }
  });

  it("serves the shipped default model's report.html while the registry does not hold it", async () => {
    const dir = path.resolve(__dirname, '../../../../models/default');
    const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')) as {
      version: string;
    };
    const res = await request(h.app)
      .get(`/api/admin/models/${version}/report`)
      .set(bearer(await signUpAdmin(h)));
    expect(res.status).toBe(200);
    expect(res.text).toBe(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'));
  });

  it('answers 404 for an unknown version and for a model registered without a page', async () => {
    const admin = await signUpAdmin(h);
    const version = `rf-test-${randomUUID().slice(0, 8)}`;
    await insert(version, null);
    try {
      for (const v of ['rf-nope', version, '..%2Fetc']) {
        const res = await request(h.app).get(`/api/admin/models/${v}/report`).set(bearer(admin));
        expect(res.status).toBe(404);
      }
    } finally {
      await h.db('models').where({ version }).delete();
    }
  });
});

describe('when inference cannot answer', () => {
  /** The API as the harness mounts it, but asking `inference`. */
  const apiWith = (inference: InferenceApi) => {
    const app = express();
    app.use(
      '/api',
      createApiRouter({
        db: h.db,
        redis: h.redis,
        log: createLogger({ service: 'gateway-ml-test', level: 'silent' }),
        tokens: h.tokens,
        masterKey: h.masterKey,
        orders: h.orders.api,
        inference,
        publishDemand: async () => {},
        defaultRiskLimits: {},
      }),
    );
    return app;
  };

  it('answers 503 INFERENCE_UNAVAILABLE, for traders and admins, when it is unreachable or refuses the token', async () => {
    const admin = await signUpAdmin(h);
    const { version } = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../../../../models/default/report.json'), 'utf8'),
    ) as { version: string };
    const down = await freePort();
    for (const inference of [
      inferenceApi({ url: `http://127.0.0.1:${down}`, token: h.inference.token }),
      inferenceApi({ url: h.inference.url, token: `${h.inference.token}x` }),
    ])
      for (const url of [`/api/ml/models/${version}`, `/api/admin/models/${version}/report`]) {
        const res = await request(apiWith(inference)).get(url).set(bearer(admin));
        expect({ url, status: res.status, code: res.body.code }).toEqual({
          url,
          status: 503,
          code: 'INFERENCE_UNAVAILABLE',
        });
      }
    // The same routes answer once inference does.
    const res = await request(apiWith(h.inference.api)).get(`/api/ml/models/${version}`).set(bearer(admin));
    expect(res.status).toBe(200);
  });
});
