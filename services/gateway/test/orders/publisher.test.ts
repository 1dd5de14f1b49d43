import { commandClientSettings } from '../../src/orders/publisher';

describe('commandClientSettings', () => {
  it('lets no request outwait the answer deadline, and ends the client retries within a few of them', () => {
    for (const deadline of [300, 1000, 3000, 10000]) {
      const s = commandClientSettings(deadline);
      expect(s.requestTimeout).toBeLessThanOrEqual(deadline);
      expect(s.connectionTimeout).toBeLessThanOrEqual(Math.max(100, deadline / 3));
      // KafkaJS backs off at most maxRetryTime between attempts.
      const worst = (s.retry.retries + 1) * s.requestTimeout + s.retry.retries * s.retry.maxRetryTime;
      expect(worst).toBeLessThanOrEqual(4 * deadline);
      expect(s.retry.retries).toBeGreaterThan(0);
    }
  });
});
