import { randomBytes } from 'node:crypto';
import path from 'node:path';
import express from 'express';
import type { Knex } from 'knex';
import { INTERNAL_API_PATH, internalApi, modelRecords } from '../../services/inference/src/http';
import { ModelRegistry } from '../../services/inference/src/registry';
import type { InferenceApi } from '../../services/gateway/src/ml';
import { inferenceApi } from '../../services/gateway/src/ml';
import { serveLocally } from './local-server';

/** The model inference serves while its registry has none, with its reports beside it. */
export const DEFAULT_MODEL_FILE = path.resolve(__dirname, '../../models/default/model.onnx');

export interface InferenceApiServer {
  url: string;
  token: string;
  /** The gateway's client of it. */
  api: InferenceApi;
  close(): Promise<void>;
}

/**
 * Inference's internal API in-process on a free port, over `db` (a database with the `models`
 * table, where tests write the registry rows they need), for the gateway's routes to ask as they
 * ask the real service. POST /predict is not served here (it needs the stream's features).
 */
export async function startInferenceApi(
  db: Knex,
  opts: { token?: string; modelFile?: string } = {},
): Promise<InferenceApiServer> {
  const token = opts.token ?? randomBytes(48).toString('base64');
  const app = express();
  app.use(
    INTERNAL_API_PATH,
    internalApi({
      models: modelRecords(new ModelRegistry(db), opts.modelFile ?? DEFAULT_MODEL_FILE),
      serviceToken: token,
    }),
  );
  const { url, close } = await serveLocally(app);
  return { url, token, api: inferenceApi({ url, token }), close };
}
