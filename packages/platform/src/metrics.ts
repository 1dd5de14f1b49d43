import client from 'prom-client';

export { client as prom };

/**
 * A Prometheus registry with the process and Node.js default metrics, labelled with the service.
 *
 * @example
 *   const metrics = createMetricsRegistry('ingest');
 *   const published = declareMetrics(metrics).counter('ingest_records_total', '...', ['topic']);
 */
export function createMetricsRegistry(service: string): client.Registry {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  return registry;
}

/** Declares metrics in one registry, one line each; label names type the label values. */
export interface MetricDeclarations {
  /** `collect`, if given, runs before each scrape reads the metric (values kept outside it). */
  counter<L extends string = never>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    collect?: () => void,
  ): client.Counter<L>;
  gauge<L extends string = never>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    collect?: () => void,
  ): client.Gauge<L>;
  histogram<L extends string = never>(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames?: readonly L[],
  ): client.Histogram<L>;
}

/**
 * How every service declares its metrics (a service's `metrics.ts`, the Kafka instruments).
 *
 * @example
 *   const m = declareMetrics(registry);
 *   const dropped = m.counter('ingest_records_dropped_total', 'Records dropped, by reason', ['reason']);
 *   dropped.inc({ reason: 'stale' });
 */
export function declareMetrics(registry: client.Registry): MetricDeclarations {
  const registers = [registry];
  return {
    counter: (name, help, labelNames = [], collect) =>
      new client.Counter({ name, help, labelNames, registers, ...(collect ? { collect } : {}) }),
    gauge: (name, help, labelNames = [], collect) =>
      new client.Gauge({ name, help, labelNames, registers, ...(collect ? { collect } : {}) }),
    histogram: (name, help, buckets, labelNames = []) =>
      new client.Histogram({ name, help, labelNames, buckets: [...buckets], registers }),
  };
}
