import { prom } from '@tickstream/platform';
import { activeUsersGauge, gatewayMetrics } from '../src/metrics';

describe('gateway metrics', () => {
  it('registers the names the dashboards read', async () => {
    const registry = new prom.Registry();
    gatewayMetrics(registry);
    let users = 2;
    activeUsersGauge(registry, () => users);
    expect(
      registry
        .getMetricsAsArray()
        .map((m) => m.name)
        .sort(),
    ).toEqual([
      'gateway_active_users',
      'gateway_conflation_hold_seconds',
      'gateway_connected_sockets',
      'gateway_messages_conflated_total',
      'gateway_messages_dropped_total',
      'gateway_messages_sent_total',
      'gateway_socket_rate_limited_total',
      'gateway_streams_stopped_total',
      'gateway_tick_to_emit_seconds',
      'gateway_watchlist_lookups_total',
    ]);
    users = 3;
    expect(await registry.getSingleMetricAsString('gateway_active_users')).toMatch(
      /^gateway_active_users 3$/m,
    );
  });
});
