import type { ModelRecord, PredictRequest } from '@tickstream/contracts';
import { modelRecordSchema } from '@tickstream/contracts';
import { TickstreamError } from '@tickstream/platform';
import { DependencyUnavailableError } from '../request';

/**
 * What the gateway asks the inference service, which owns the model registry (docs/ARCHITECTURE.md,
 * "Who owns which table"). Every method throws INFERENCE_UNAVAILABLE (503) when the service
 * cannot answer: unreachable, too slow, a 5xx, a refused service token or an answer of the wrong
 * shape.
 */
export interface InferenceApi {
  /** POST /predict: inference's answer as it is (contracts' Predictions). */
  predict(body: PredictRequest): Promise<unknown>;
  /** A model's held-out record; undefined when inference knows no such version. */
  modelRecord(version: string): Promise<ModelRecord | undefined>;
  /** A model's HTML report page; undefined when unknown or registered without one. */
  modelReport(version: string): Promise<string | undefined>;
}

export interface InferenceApiOptions {
  /** Base URL of the inference service (INFERENCE_URL), e.g. http://127.0.0.1:9103. */
  url: string;
  /** INFERENCE_SERVICE_TOKEN, for its internal API. Never logged. */
  token: string;
  /** The longest one call waits for its answer (default 2000 ms). */
  timeoutMs?: number;
}

const UNAVAILABLE = 'predictions are unavailable right now; try again shortly';

/**
 * The inference service over HTTP: /predict, and its internal API (/internal/v1, behind the
 * service token) for the model registry.
 *
 * @example
 *   const inference = inferenceApi({ url: config.INFERENCE_URL, token: config.INFERENCE_SERVICE_TOKEN });
 *   const record = await inference.modelRecord('rf-20261203');
 */
export function inferenceApi(opts: InferenceApiOptions): InferenceApi {
  const base = opts.url.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 2000;

  /** The answer when 2xx, undefined on 404; anything else is INFERENCE_UNAVAILABLE. */
  async function call(path: string, init: RequestInit = {}): Promise<Response | undefined> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${opts.token}`, ...init.headers },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new DependencyUnavailableError('INFERENCE_UNAVAILABLE', UNAVAILABLE, err);
    }
    if (res.ok) return res;
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 404) return undefined;
    throw new DependencyUnavailableError(
      'INFERENCE_UNAVAILABLE',
      UNAVAILABLE,
      new TickstreamError(
        `HTTP_${res.status}`,
        `${init.method ?? 'GET'} ${path}: inference answered ${res.status}`,
      ),
    );
  }

  const model = (version: string) => `/internal/v1/models/${encodeURIComponent(version)}`;
  return {
    async predict(body) {
      const res = await call('/predict', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      // /predict has no 404 of its own: one means the wrong service answered.
      if (!res) throw new DependencyUnavailableError('INFERENCE_UNAVAILABLE', UNAVAILABLE);
      return res.json();
    },
    async modelRecord(version) {
      const res = await call(model(version));
      if (!res) return undefined;
      const record = modelRecordSchema.safeParse(await res.json().catch(() => undefined));
      if (!record.success)
        throw new DependencyUnavailableError(
          'INFERENCE_UNAVAILABLE',
          UNAVAILABLE,
          new TickstreamError(
            'MODEL_RECORD_UNREADABLE',
            `inference answered model ${version} in another shape`,
          ),
        );
      return record.data;
    },
    async modelReport(version) {
      const res = await call(`${model(version)}/report`);
      return res ? res.text() : undefined;
    },
  };
}
