import { prom } from '@tickstream/platform';
import type { Registry } from 'prom-client';

export function featureMetrics(registry: Registry) {
  return {
    bars: new prom.Counter({
      name: 'features_bars_total',
      help: 'Bars consumed, by outcome (features, warming, duplicate, late, invalid)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    corrected: new prom.Counter({
      name: 'features_corrections_total',
      help: 'Bars recomputed because of an updatedBars correction',
      registers: [registry],
    }),
    vectors: new prom.Counter({
      name: 'features_vectors_total',
      help: 'Feature vectors published',
      registers: [registry],
    }),
    symbols: new prom.Gauge({
      name: 'features_symbols',
      help: 'Symbols with state on this instance',
      registers: [registry],
    }),
    barToFeatures: new prom.Histogram({
      name: 'features_bar_to_features_seconds',
      help: 'Time from the source bar being ingested to its feature vector being published',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
