import fs from 'node:fs';
import path from 'node:path';
import { Registry } from 'prom-client';
import { inferenceMetrics } from '../src/metrics';

const DASHBOARD = path.resolve(__dirname, '../../../deploy/grafana/dashboards/tickstream-ml.json');
const NAME = 'inference_feature_to_prediction_seconds';

/** The `le` bounds of a histogram as the registry exposes them. */
async function bucketBounds(registry: Registry, name: string): Promise<string[]> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  // The _bucket series are the values with an `le` label (_sum and _count have none).
  return (metric?.values ?? []).flatMap((v) => (v.labels.le === undefined ? [] : [String(v.labels.le)]));
}

describe('inference metrics', () => {
  it('feature -> prediction has a bucket at each bound the ML dashboard reads (the 20 ms target)', async () => {
    const registry = new Registry();
    inferenceMetrics(registry);
    const bounds = await bucketBounds(registry, NAME);
    const read = [
      ...fs
        .readFileSync(DASHBOARD, 'utf8')
        .matchAll(new RegExp(`${NAME}_bucket\\{le=\\\\"([0-9.]+)\\\\"\\}`, 'g')),
    ].map((m) => m[1]!);
    expect(read).toContain('0.02');
    for (const le of read) expect(bounds).toContain(le);
  });
});
