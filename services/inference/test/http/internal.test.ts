import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { FEATURE_NAMES } from '@tickstream/contracts';
import { BEATING_HELD_OUT, BEATING_METRICS } from '../../../../test/support/model-record';
import { INTERNAL_API_PATH, internalApi, modelRecords } from '../../src/http';
import type { RegistryDb } from '../support/registry-db';
import { registryDb } from '../support/registry-db';

const DEFAULT_DIR = path.resolve(__dirname, '../../../../models/default');
const TOKEN = randomBytes(48).toString('base64');

let reg: RegistryDb;
let app: express.Express;
beforeAll(async () => {
  reg = await registryDb('internal_api');
  app = express();
  app.use(
    INTERNAL_API_PATH,
    internalApi({
      models: modelRecords(reg.registry, path.join(DEFAULT_DIR, 'model.onnx')),
      serviceToken: TOKEN,
    }),
  );
});
afterAll(() => reg.drop());

const get = (url: string, token: string | null = TOKEN) => {
  const req = request(app).get(`${INTERNAL_API_PATH}${url}`);
  return token === null ? req : req.set('authorization', `Bearer ${token}`);
};

const add = (version: string, metrics: unknown, html?: string) =>
  reg.registry.add({
    version,
    params: {},
    featureNames: FEATURE_NAMES,
    featureSetVersion: 'fs1',
    horizon: 5,
    metrics,
    onnx: new Uint8Array([1, 2, 3]),
    ...(html === undefined ? {} : { report: { json: { version }, html } }),
  });

describe("inference's internal API: the model registry for the gateway", () => {
  it("answers a registered model's held-out record and its report page", async () => {
    await add('rf-a', { ...BEATING_METRICS, balancedAccuracyGainLower: null }, '<html>rf-a</html>');
    const record = await get('/models/rf-a');
    expect(record.status).toBe(200);
    expect(record.body).toEqual({
      version: 'rf-a',
      ...BEATING_HELD_OUT,
    });
    const page = await get('/models/rf-a/report');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toBe('<html>rf-a</html>');
  });

  it('answers the shipped default model from the reports beside MODEL_FILE while the registry does not hold it', async () => {
    const report = JSON.parse(fs.readFileSync(path.join(DEFAULT_DIR, 'report.json'), 'utf8')) as {
      version: string;
      horizon: number;
      evaluation: { pooled: { model: { n: number; accuracy: number } } };
      promotion: { promote: boolean };
    };
    const record = await get(`/models/${report.version}`);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({
      version: report.version,
      horizonBars: report.horizon,
      heldOut: {
        rows: report.evaluation.pooled.model.n,
        model: { accuracy: report.evaluation.pooled.model.accuracy },
      },
      beatsBaselines: report.promotion.promote,
    });
    const page = await get(`/models/${report.version}/report`);
    expect(page.status).toBe(200);
    expect(page.text).toBe(fs.readFileSync(path.join(DEFAULT_DIR, 'report.html'), 'utf8'));
  });

  it('answers 404 MODEL_NOT_FOUND for an unknown version, a record of another shape, a model without a page', async () => {
    await add('rf-bare', { promotion: { promote: false } });
    for (const url of [
      '/models/rf-nope',
      '/models/rf-bare',
      '/models/rf-bare/report',
      '/models/..%2Fetc/report',
    ]) {
      const res = await get(url);
      expect({ url, status: res.status, code: res.body.code }).toEqual({
        url,
        status: 404,
        code: 'MODEL_NOT_FOUND',
      });
    }
  });

  it('answers nothing without the service token, or with another', async () => {
    const none = await get('/models/rf-a', null);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 'SERVICE_TOKEN_REQUIRED', message: 'a service token is required' });
    const wrong = await get('/models/rf-a/report', `${TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('SERVICE_TOKEN_INVALID');
    expect(wrong.text).not.toContain('rf-a');
  });

  it('answers from a registry only: a MODEL_FILE without reports beside it leaves registered models answerable', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-reports-'));
    const bare = express();
    bare.use(
      INTERNAL_API_PATH,
      internalApi({
        models: modelRecords(reg.registry, path.join(empty, 'model.onnx')),
        serviceToken: TOKEN,
      }),
    );
    const registered = await request(bare)
      .get(`${INTERNAL_API_PATH}/models/rf-a`)
      .set('authorization', `Bearer ${TOKEN}`);
    expect(registered.status).toBe(200);
    const missing = await request(bare)
      .get(`${INTERNAL_API_PATH}/models/rf-x/report`)
      .set('authorization', `Bearer ${TOKEN}`);
    expect(missing.status).toBe(404);
  });
});
