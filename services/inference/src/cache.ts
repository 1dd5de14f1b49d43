import type { Prediction } from '@tickstream/contracts';
import type { Redis } from '@tickstream/platform';

/** Latest prediction per symbol in Redis for ML_CACHE_TTL seconds, shared by every replica. */
export class PredictionCache {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSec: number,
  ) {}

  async put(predictions: readonly Prediction[]): Promise<void> {
    if (predictions.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const p of predictions) pipeline.set(`pred:${p.symbol}`, JSON.stringify(p), 'EX', this.ttlSec);
    await pipeline.exec();
  }

  async get(symbols: readonly string[]): Promise<Map<string, Prediction>> {
    const out = new Map<string, Prediction>();
    if (symbols.length === 0) return out;
    const values = await this.redis.mget(...symbols.map((s) => `pred:${s}`));
    values.forEach((v, i) => {
      if (v) out.set(symbols[i]!, JSON.parse(v) as Prediction);
    });
    return out;
  }
}
