import { expectEveryVectorScoredAlike } from '../../services/inference/test/support/predictions';
import type { InferenceBed } from '../../services/inference/test/support/inference-bed';
import { inferenceBed } from '../../services/inference/test/support/inference-bed';
import { featureVectors, interleave } from '../../services/inference/test/support/vectors';
import { eventually } from '../support/env';
import { dropDeadMembers } from '../support/kafka';
import type { ServiceProcess } from '../support/service-process';
import { startService } from '../support/service-process';

const SYMBOLS = ['AAPL', 'MSFT', 'TSLA', 'AMD'];

// Inference commits offsets only after it produced the batch's predictions, so a SIGKILL may
// score a vector again after the restart; such a repeat must be the same score by the same model.
describe('inference killed with SIGKILL mid-stream and restarted', () => {
  let inference: InferenceBed;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    inference = await inferenceBed('fault-kill-inference', 'faults');
  });

  afterAll(async () => {
    await service?.stop();
    await inference?.close();
  });

  it('scores every feature vector; repeats are identical re-scores', async () => {
    const { bed, env, send, predictionLog } = inference;
    const vectors = interleave([...featureVectors(SYMBOLS, 400).values()]);
    service = await startService('inference', env);
    const third = Math.floor(vectors.length / 3);
    for (let k = 0; k < third; k += 50) await send(vectors.slice(k, Math.min(k + 50, third)));
    await eventually(() => predictionLog.messages.length > 50, 20000, 'some predictions');
    // Offsets are committed about once a second; once one is, a kill replays only what came after.
    await eventually(
      async () => {
        const [committed] = await bed.admin.fetchOffsets({
          groupId: bed.names.group('inference'),
          topics: [bed.names.of('features')],
        });
        return committed!.partitions.some((p) => Number(p.offset) > 0);
      },
      20000,
      'inference to commit an offset',
    );
    await service.kill();
    await dropDeadMembers(bed, bed.names.group('inference'));
    await send(vectors.slice(third, 2 * third));
    service = await startService('inference', env);
    await send(vectors.slice(2 * third));

    const { predictions, wanted } = await expectEveryVectorScoredAlike(predictionLog, bed.codec, vectors);
    // Redelivery is bounded by what was in flight at the kill, not a replay of the topic.
    expect(predictions.length - wanted).toBeLessThan(third);
  }, 120000);
});
