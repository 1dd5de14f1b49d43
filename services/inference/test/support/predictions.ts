import type { FeatureVector, Prediction } from '@tickstream/contracts';
import type { AvroCodec } from '@tickstream/platform';
import type { KafkaMessage } from 'kafkajs';
import { eventually } from '../../../../test/support/env';

const key = (p: { symbol: string; bar_time: number }) => `${p.symbol}@${p.bar_time}`;

/**
 * Waits for a prediction of every vector in `log` and checks what at-least-once allows: nothing
 * that was not asked for, and a vector scored twice (after a kill, a rebalance) scored the same,
 * by the same model. Returns every prediction read, repeats included, and the vectors' count.
 */
export async function expectEveryVectorScoredAlike(
  log: { messages: KafkaMessage[] },
  codec: AvroCodec,
  vectors: FeatureVector[],
): Promise<{ predictions: Prediction[]; wanted: number }> {
  const wanted = new Set(vectors.map(key));
  const predictions = await eventually(
    async () => {
      const all: Prediction[] = await Promise.all(
        log.messages.map((m) => codec.decode('predictions', m.value)),
      );
      return new Set(all.map(key)).size >= wanted.size && all;
    },
    60000,
    'a prediction for every vector',
  );
  const byKey = new Map<string, Prediction>();
  for (const p of predictions) {
    expect(wanted.has(key(p))).toBe(true);
    const prior = byKey.get(key(p));
    if (prior)
      expect({ prob: p.prob_up, label: p.label, model: p.model_version }).toEqual({
        prob: prior.prob_up,
        label: prior.label,
        model: prior.model_version,
      });
    byKey.set(key(p), p);
  }
  expect(byKey.size).toBe(wanted.size);
  return { predictions, wanted: wanted.size };
}
