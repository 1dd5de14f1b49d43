import type { FeatureVector } from '@tickstream/contracts';
import { expectEveryVectorScoredAlike } from '../../services/inference/test/support/predictions';
import type { InferenceBed } from '../../services/inference/test/support/inference-bed';
import { inferenceBed } from '../../services/inference/test/support/inference-bed';
import { featureVectors, interleave } from '../../services/inference/test/support/vectors';
import { eventually } from '../support/env';
import { spreadOver, survivorTakesOver } from '../support/kafka';
import type { ServiceProcess } from '../support/service-process';
import { startService } from '../support/service-process';

const SYMBOLS = ['AAPL', 'MSFT', 'TSLA', 'AMD', 'NVDA', 'AMZN', 'GOOG', 'META'];

// Two inference replicas share the `inference` group; one is SIGKILLed while vectors keep
// coming. Offsets are committed after the batch's predictions are out, so the survivor may score
// again what the dead one scored but had not committed: at-least-once, with identical repeats.
describe('inference: two replicas, one SIGKILLed mid-stream', () => {
  let inference: InferenceBed;
  const replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    inference = await inferenceBed('fault-inference-replicas', 'replicas');
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await inference?.close();
  });

  it('scores every feature vector; repeats are identical re-scores', async () => {
    const { bed, env, predictionLog } = inference;
    const vectors = interleave([...featureVectors(SYMBOLS, 200).values()]);
    const send = async (list: FeatureVector[]) => {
      for (let k = 0; k < list.length; k += 50) await inference.send(list.slice(k, k + 50));
    };
    const group = bed.names.group('inference');
    const topic = bed.names.of('features');
    replicas.push(await startService('inference', env));
    replicas.push(await startService('inference', env));
    const owned = await spreadOver(bed.admin, group, topic, 2);

    const third = Math.floor(vectors.length / 3);
    await send(vectors.slice(0, third));
    await eventually(() => predictionLog.messages.length > 100, 30000, 'some predictions');
    const killedAt = Date.now();
    // Mid-stream: the second third is on its way while the replica dies.
    const sending = send(vectors.slice(third, 2 * third));
    await replicas[0]!.kill();
    await sending;
    const takeover = await survivorTakesOver(bed.admin, group, topic, 6, killedAt);
    await send(vectors.slice(2 * third));

    const { predictions, wanted } = await expectEveryVectorScoredAlike(predictionLog, bed.codec, vectors);
    console.log(
      `inference: before the kill ${JSON.stringify(owned)}; survivor owns all 6 after ${takeover} ms; ` +
        `${predictions.length} predictions for ${wanted} vectors (${predictions.length - wanted} identical repeats)`,
    );
  }, 180000);
});
