import client from 'prom-client';

export { client as prom };

/**
 * A Prometheus registry with the process and Node.js default metrics, labelled with the service.
 *
 * @example
 *   const metrics = createMetricsRegistry('ingest');
 *   const published = new prom.Counter({ name: 'ingest_records_total', help: '...', registers: [metrics] });
 */
export function createMetricsRegistry(service: string): client.Registry {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry });
  return registry;
}
