import { declareMetrics, prom } from '@tickstream/platform';
import type { BroadcastMetrics } from './market';

// Names are a contract: Grafana dashboards and test/sre/support/metric-names.ts read them.

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>;

/** The gateway's own metrics on /metrics (the REST API and order publisher register theirs). */
export function gatewayMetrics(registry: prom.Registry) {
  const m = declareMetrics(registry);
  return {
    streamsStopped: m.counter(
      'gateway_streams_stopped_total',
      'Symbol streams the gateway stopped itself (unsubscribed events), by reason',
      ['reason'],
    ),
    sockets: {
      connected: m.gauge('gateway_connected_sockets', 'Socket.IO connections on this replica'),
      lookups: m.counter(
        'gateway_watchlist_lookups_total',
        'Watchlist lookups made for socket subscribes (cached per socket until the watchlists change)',
      ),
      rateLimited: m.counter(
        'gateway_socket_rate_limited_total',
        'Socket subscribes and unsubscribes refused by the per-connection rate limit',
      ),
    },
    broadcast: {
      sent: m.counter('gateway_messages_sent_total', 'Socket messages sent, by event', ['event']),
      conflated: m.counter(
        'gateway_messages_conflated_total',
        'Quotes and trades superseded within a conflation interval',
      ),
      dropped: m.counter('gateway_messages_dropped_total', 'Messages skipped for slow clients, by event', [
        'event',
      ]),
      // By event: a quote's or trade's age is the tick's; a bar's, features' or prediction's is
      // its bar's, which has been through features (and inference) first. Mixed in one series,
      // the predictions' 30-80 ms made the tick panels' p99 theirs.
      tickToEmit: m.histogram(
        'gateway_tick_to_emit_seconds',
        'From ingest time to the socket emit, by event (quote and trade: the tick; bar, features, prediction: their bar)',
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        ['event'],
      ),
      conflationHold: m.histogram(
        'gateway_conflation_hold_seconds',
        'How long a quote or trade waited in the conflator before its emit (by design, up to MARKET_UPDATE_INTERVAL)',
        [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.5, 1],
      ),
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
