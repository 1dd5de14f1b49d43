import { createScorer, handleFeatures } from '../../src/scoring';
import { echoModel, flatVector, freshMetrics, memoryCache } from '../support/fake-model';

describe('createScorer', () => {
  it('scores in chunks of at most batchMax rows, keeping the input order', async () => {
    const models = echoModel();
    const metrics = freshMetrics();
    const score = createScorer({ models, batchMax: 2, metrics, now: () => 2000 });
    const vectors = [0.1, 0.2, 0.3, 0.4, 0.5].map((p, i) => flatVector(`S${i}`, p));
    const out = await score(vectors);
    expect(models.calls).toEqual([2, 2, 1]);
    expect(out.map((p) => p.symbol)).toEqual(['S0', 'S1', 'S2', 'S3', 'S4']);
    expect(out[4]).toMatchObject({ model_version: 'm1', horizon_bars: 5, latency_ms: 998 });
    expect(out[4]!.prob_up).toBeCloseTo(0.5);
    expect((await metrics.batchSize.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value).toBe(
      3,
    );
  });

  it('scores calls made together, or while a run is out, in shared runs, each getting its own', async () => {
    const models = echoModel();
    const score = createScorer({ models, batchMax: 8, metrics: freshMetrics() });
    const call = (tag: string, n: number) =>
      score(Array.from({ length: n }, (_, i) => flatVector(`${tag}${i}`, (i + 1) / 10)));
    // Six partitions' batches at once: the first four (8 rows) in one run; the fifth would
    // overflow batchMax, so it and the sixth go in the next.
    const out = await Promise.all([
      call('A', 2),
      call('B', 2),
      call('C', 2),
      call('D', 2),
      call('E', 2),
      call('F', 3),
    ]);
    expect(models.calls).toEqual([8, 5]);
    // A call of a later turn runs apart from those before it; calls of one turn share a run.
    const first = call('G', 1);
    await new Promise((r) => setImmediate(r));
    await Promise.all([first, call('H', 1), call('I', 1)]);
    expect(models.calls).toEqual([8, 5, 1, 2]);
    expect(out.map((ps) => ps.map((p) => p.symbol).join(','))).toEqual([
      'A0,A1',
      'B0,B1',
      'C0,C1',
      'D0,D1',
      'E0,E1',
      'F0,F1,F2',
    ]);
    expect(out[5]!.map((p) => p.prob_up)).toEqual([0.1, 0.2, 0.3].map((x) => Math.fround(x)));
  });

  it('fails every call of a run that failed, and goes on with the next', async () => {
    let fail = true;
    const models = echoModel();
    const failing = {
      ...models,
      score: async (rows: Float32Array, n: number) => {
        if (fail) {
          fail = false;
          throw new Error('onnxruntime failed');
        }
        return models.score(rows, n);
      },
    };
    const score = createScorer({ models: failing, batchMax: 8, metrics: freshMetrics() });
    const sharing = [score([flatVector('A')]), score([flatVector('B')])];
    await expect(sharing[0]).rejects.toThrow('onnxruntime failed');
    await expect(sharing[1]).rejects.toThrow('onnxruntime failed');
    expect((await score([flatVector('C')])).map((p) => p.symbol)).toEqual(['C']);
  });
});

describe('handleFeatures', () => {
  function setup(models = echoModel()) {
    const published: string[] = [];
    const deadLetters: { symbol: string; code: string }[] = [];
    const cache = memoryCache();
    const metrics = freshMetrics();
    const opts = {
      models,
      score: createScorer({ models, batchMax: 256, metrics }),
      publish: async (ps: { symbol: string }[]) => void published.push(...ps.map((p) => p.symbol)),
      cache,
      metrics,
      log: { warn: () => undefined },
      deadLetter: async (r: { value: { symbol: string } }, reason: { code: string }) =>
        void deadLetters.push({ symbol: r.value.symbol, code: reason.code }),
    };
    return { opts, published, deadLetters, cache, metrics };
  }

  it('dead-letters unscorable vectors, publishes and caches the rest', async () => {
    const { opts, published, deadLetters, cache, metrics } = setup();
    await handleFeatures(
      [{ value: flatVector('AAPL') }, { value: flatVector('BAD', NaN) }, { value: flatVector('MSFT') }],
      opts,
    );
    expect(published).toEqual(['AAPL', 'MSFT']);
    expect(deadLetters).toEqual([{ symbol: 'BAD', code: 'INVALID_FEATURES' }]);
    expect([...cache.map.keys()]).toEqual(['AAPL', 'MSFT']);
    expect((await metrics.scored.get()).values[0]?.value).toBe(2);
  });

  it('asks for a retry, not a dead letter, before a model is loaded', async () => {
    const { opts, published } = setup({ ...echoModel(), current: undefined });
    await expect(handleFeatures([{ value: flatVector('AAPL') }], opts)).rejects.toMatchObject({
      code: 'NO_MODEL',
      retryable: true,
    });
    expect(published).toEqual([]);
  });

  it('publishes even when the cache is down', async () => {
    const { opts, published } = setup();
    await handleFeatures([{ value: flatVector('AAPL') }], {
      ...opts,
      cache: { put: () => Promise.reject(new Error('redis down')) },
    });
    expect(published).toEqual(['AAPL']);
  });

  it('writes the cache beside the publish, not after its acknowledgement', async () => {
    const { opts } = setup();
    const order: string[] = [];
    let acknowledge!: () => void;
    const handled = handleFeatures([{ value: flatVector('AAPL') }], {
      ...opts,
      publish: () => {
        order.push('publish sent');
        return new Promise<void>((r) => (acknowledge = r));
      },
      cache: { put: async () => void order.push('cache put') },
    });
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['publish sent', 'cache put']);
    acknowledge();
    await handled;
  });
});
