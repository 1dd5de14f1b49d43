import type { PartitionEnd } from '../../src/market/readiness';
import { FeedPositions, waitUntilLive } from '../../src/market/readiness';

const end = (partition: number, high: number): PartitionEnd => ({
  topic: 'q',
  partition,
  high: String(high),
});

describe('FeedPositions', () => {
  it('knows a partition placed at its end has nothing to read, and follows the batches after that', () => {
    const p = new FeedPositions();
    p.placed('q', 0, '10');
    p.placed('q', 1, '3');
    expect(p.behind([end(0, 10), end(1, 10)])).toEqual([end(1, 10)]);
    p.consumed('q', 1, '8');
    expect(p.behind([end(1, 10)])).toEqual([end(1, 10)]);
    p.consumed('q', 1, '9');
    expect(p.behind([end(0, 10), end(1, 10)])).toEqual([]);
  });

  it('never moves back, and ignores a batch that handled nothing', () => {
    const p = new FeedPositions();
    p.consumed('q', 0, '41'); // read from the default position before the rewind's seek
    p.placed('q', 0, '7');
    p.consumed('q', 0, '-1');
    expect(p.behind([end(0, 42)])).toEqual([]);
  });

  it('counts a partition it never heard of as behind any end above 0', () => {
    expect(new FeedPositions().behind([end(0, 0), end(1, 1)])).toEqual([end(1, 1)]);
  });
});

describe('waitUntilLive', () => {
  function clock() {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  }

  it('waits for the history, then for the feed to reach the end offsets of the moment', async () => {
    const positions = new FeedPositions();
    positions.placed('q', 0, '0');
    let history = 0;
    const seen: { tookMs: number; behind: number }[] = [];
    const live = await waitUntilLive({
      historyRead: async () => ++history >= 3,
      ends: async () => {
        // The feed handles the last record a little later.
        setTimeout(() => positions.consumed('q', 0, '99'), 5);
        return [end(0, 100)];
      },
      positions,
      maxLagMs: 1000,
      pollMs: 1,
      now: () => 0,
      stopped: () => false,
      onRound: (r) => seen.push(r),
    });
    expect(live).toBe(true);
    expect(history).toBe(3);
    expect(seen).toEqual([{ tookMs: 0, behind: 0 }]);
  });

  it('does not call a feed live whose rounds take longer than maxLagMs', async () => {
    const c = clock();
    const positions = new FeedPositions();
    let high = 0;
    let rounds = 0;
    const seen: number[] = [];
    // The feed reaches each end only 2 s after it was read, for 3 rounds, then keeps up.
    const result = await waitUntilLive({
      historyRead: async () => true,
      ends: async () => {
        rounds++;
        high += 10;
        const target = high;
        const lag = rounds <= 3 ? 2000 : 0;
        setTimeout(() => {
          c.advance(lag);
          positions.consumed('q', 0, String(target - 1));
        }, 1);
        return [end(0, target)];
      },
      positions,
      maxLagMs: 1000,
      pollMs: 1,
      now: c.now,
      stopped: () => false,
      onRound: (r) => seen.push(r.tookMs),
    });
    expect(result).toBe(true);
    expect(seen).toEqual([2000, 2000, 2000, 0]);
  });

  it('retries a round whose end offsets could not be read, and gives up when stopped', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    let stop = false;
    const result = await waitUntilLive({
      historyRead: async () => true,
      ends: async () => {
        calls++;
        if (calls === 2) stop = true;
        throw new Error('broker away');
      },
      positions: new FeedPositions(),
      maxLagMs: 1000,
      stopped: () => stop,
      onError: (err) => errors.push(err),
    });
    expect(result).toBe(false);
    expect(errors).toHaveLength(2);
  });
});
