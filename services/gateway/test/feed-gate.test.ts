import { FeedGate, openWhenLive } from '../src/feed-gate';
import { FeedPositions } from '../src/market';

const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const HOUR = 3600_000;

describe('FeedGate', () => {
  it('is ready and takes sockets once the feed is live', async () => {
    const gate = new FeedGate({ graceMs: HOUR, log: quietLog });
    expect(gate.ready()).toBe(false);
    const positions = new FeedPositions();
    positions.placed('bars', 0, '5');
    const live = await openWhenLive(gate, {
      caughtUp: async () => true,
      ends: async () => [{ topic: 'bars', partition: 0, high: '5' }],
      positions,
      maxLagMs: HOUR,
      stopped: () => false,
      log: quietLog,
    });
    expect(live).toBe(true);
    expect(gate.ready()).toBe(true);
    await gate.accepting;
  });

  it('takes sockets after the grace period but stays unready while the feed is behind', async () => {
    const gate = new FeedGate({ graceMs: 1, log: quietLog });
    await gate.accepting;
    expect(gate.ready()).toBe(false);
  });

  it('is unready for good once the feed failed, live or not', () => {
    const gate = new FeedGate({ graceMs: HOUR, log: quietLog });
    gate.markLive();
    gate.markFailed(new Error('crashed'));
    expect(gate.ready()).toBe(false);
  });

  it('stays closed when the service stops before the feed is live', async () => {
    const gate = new FeedGate({ graceMs: HOUR, log: quietLog });
    const live = await openWhenLive(gate, {
      caughtUp: async () => false,
      ends: async () => [],
      positions: new FeedPositions(),
      maxLagMs: HOUR,
      stopped: () => true,
      log: quietLog,
    });
    expect(live).toBe(false);
    expect(gate.ready()).toBe(false);
  });
});
