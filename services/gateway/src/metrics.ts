import { prom } from '@tickstream/platform';
import type { BroadcastMetrics } from './market';

// Names are a contract: Grafana dashboards and test/sre/support/metric-names.ts read them.

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;

/** The gateway's own metrics on /metrics (the REST API and order publisher register theirs). */
export function gatewayMetrics(registry: prom.Registry) {
  return {
    streamsStopped: new prom.Counter({
      name: 'gateway_streams_stopped_total',
      help: 'Symbol streams the gateway stopped itself (unsubscribed events), by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    sockets: {
      connected: new prom.Gauge({
        name: 'gateway_connected_sockets',
        help: 'Socket.IO connections on this replica',
        registers: [registry],
      }),
      lookups: new prom.Counter({
        name: 'gateway_watchlist_lookups_total',
        help: 'Watchlist lookups made for socket subscribes (cached per socket until the watchlists change)',
        registers: [registry],
      }),
      rateLimited: new prom.Counter({
        name: 'gateway_socket_rate_limited_total',
        help: 'Socket subscribes and unsubscribes refused by the per-connection rate limit',
        registers: [registry],
      }),
    },
    broadcast: {
      sent: new prom.Counter({
        name: 'gateway_messages_sent_total',
        help: 'Socket messages sent, by event',
        labelNames: ['event'] as const,
        registers: [registry],
      }),
      conflated: new prom.Counter({
        name: 'gateway_messages_conflated_total',
        help: 'Quotes and trades superseded within a conflation interval',
        registers: [registry],
      }),
      dropped: new prom.Counter({
        name: 'gateway_messages_dropped_total',
        help: 'Messages skipped for slow clients, by event',
        labelNames: ['event'] as const,
        registers: [registry],
      }),
      tickToEmit: new prom.Histogram({
        name: 'gateway_tick_to_emit_seconds',
        help: 'From ingest time to the socket emit',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers: [registry],
      }),
      conflationHold: new prom.Histogram({
        name: 'gateway_conflation_hold_seconds',
        help: 'How long a quote or trade waited in the conflator before its emit (by design, up to MARKET_UPDATE_INTERVAL)',
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.5, 1],
        registers: [registry],
      }),
    } satisfies BroadcastMetrics,
  };
}

/**
 * Distinct signed-in users with a socket on this replica, counted when /metrics is scraped.
 *
 * @example
 *   activeUsersGauge(kit.metrics, () => new Set([...io.sockets.sockets.values()].map((s) => s.data.userId)).size);
 */
export function activeUsersGauge(registry: prom.Registry, count: () => number): prom.Gauge {
  return new prom.Gauge({
    name: 'gateway_active_users',
    help: 'Distinct signed-in users with at least one socket on this replica',
    registers: [registry],
    collect() {
      this.set(count());
    },
  });
}
