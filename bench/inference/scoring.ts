import { readFileSync } from 'node:fs';
import type { FeatureVector } from '@tickstream/contracts';
import { INPUT_NAME, PROBABILITIES_OUTPUT } from '@tickstream/model';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelHolder } from '../../services/inference/src/model-holder';
import type { ModelRegistry } from '../../services/inference/src/registry';
import { toRows } from '../../services/inference/src/scoring';
import { silentLog } from '../../test/support/kafka';
import { percentile } from '../support/report';

export interface ScoringResult {
  batch: number;
  /** batch / median batch latency: what a quiet machine sustains; neighbours' bursts barely move it. */
  serviceRowsPerSec: number;
  bareRowsPerSec: number;
  /** Rows over total time, bursts included. */
  serviceRowsPerSecTotal: number;
  bareRowsPerSecTotal: number;
  serviceP50Ms: number;
  serviceP99Ms: number;
  bareP50Ms: number;
  bareP99Ms: number;
}

interface Pass {
  seconds: number;
  latencies: number[];
}

async function timed(pass: Pass, run: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  pass.latencies.push(ms);
  pass.seconds += ms / 1000;
}

/**
 * The service's scoring path (toRows packing + ModelHolder.score, which runs the session and
 * extracts P(up)) against bare session.run on rows packed beforehand, same model, same rows, in
 * the same run.
 */
export async function benchScoring(
  modelFile: string,
  vectors: readonly FeatureVector[],
  batches: readonly number[],
  rounds: number,
): Promise<ScoringResult[]> {
  const noRegistry = { active: async () => undefined } as unknown as ModelRegistry;
  const holder = new ModelHolder({ registry: noRegistry, fallbackFile: modelFile, log: silentLog });
  await holder.refresh();
  if (!holder.current) throw new Error(`could not load ${modelFile}`);
  const bare = await InferenceSession.create(new Uint8Array(readFileSync(modelFile)));
  const results: ScoringResult[] = [];
  for (const batch of batches) {
    const chunks = Array.from({ length: Math.floor(vectors.length / batch) }, (_, i) =>
      vectors.slice(i * batch, (i + 1) * batch),
    );
    const packed = chunks.map((c) => toRows(c));
    const service: Pass[] = [];
    const bareRuns: Pass[] = [];
    for (let r = 0; r < rounds; r++) {
      // Chunk by chunk, alternating which goes first, so a noisy neighbour on the machine hits both alike.
      const s: Pass = { seconds: 0, latencies: [] };
      const b: Pass = { seconds: 0, latencies: [] };
      for (let i = 0; i < chunks.length; i++) {
        const runService = () => timed(s, () => holder.score(toRows(chunks[i]!), batch));
        const runBare = () =>
          timed(b, () =>
            bare.run({ [INPUT_NAME]: new Tensor('float32', packed[i]!, [batch, 13]) }, [
              PROBABILITIES_OUTPUT,
            ]),
          );
        if (i % 2 === 0) {
          await runService();
          await runBare();
        } else {
          await runBare();
          await runService();
        }
      }
      service.push(s);
      bareRuns.push(b);
    }
    // The first round warms both up and is left out.
    const sum = (passes: Pass[]) => passes.slice(1).reduce((s, p) => s + p.seconds, 0);
    const lat = (passes: Pass[]) =>
      passes
        .slice(1)
        .flatMap((p) => p.latencies)
        .sort((a, b) => a - b);
    const rows = chunks.length * batch * (rounds - 1);
    const [sLat, bLat] = [lat(service), lat(bareRuns)];
    results.push({
      batch,
      serviceRowsPerSec: (batch * 1000) / percentile(sLat, 50),
      bareRowsPerSec: (batch * 1000) / percentile(bLat, 50),
      serviceRowsPerSecTotal: rows / sum(service),
      bareRowsPerSecTotal: rows / sum(bareRuns),
      serviceP50Ms: percentile(sLat, 50),
      serviceP99Ms: percentile(sLat, 99),
      bareP50Ms: percentile(bLat, 50),
      bareP99Ms: percentile(bLat, 99),
    });
  }
  await bare.release();
  return results;
}
