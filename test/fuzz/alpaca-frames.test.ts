import { encode } from '@msgpack/msgpack';
import { FAKE_KEY, FakeAlpaca } from '../support/fake-alpaca';
import { createAlpacaSource } from '../../services/ingest/src/sources';
import type { Trade } from '@tickstream/contracts';
import { eventually } from '../support/env';
import { rng } from './seeded';

/** Hostile frames for one framing: truncated, wrong types, random bytes, huge, nested junk. */
function hostileFrames(encoding: 'json' | 'msgpack', next: () => number, count: number): (string | Buffer)[] {
  const valid = [{ T: 't', S: 'AAPL', i: 1, x: 'V', p: 100, s: 1, c: [], t: '2026-11-20T15:30:00Z', z: 'C' }];
  const shapes: unknown[] = [
    [{ T: 't', S: 42, i: 'x', p: '100', s: null, t: 12 }],
    [{ T: 'q', S: 'AAPL', bp: -1, ap: 'NaN', bs: {}, as: [], t: 'yesterday' }],
    [{ T: 'b', S: 'AAPL', o: 1e308, h: -1, l: Infinity, c: null, v: -5, t: '' }],
    { not: 'an array' },
    [null, 7, 'str', [], [[[[[]]]]]],
    Array.from({ length: 2000 }, () => ({ T: 't', S: 'A'.repeat(50), p: 1, s: 1 })),
    [{ T: 'error', code: 'abc', msg: 123 }],
    [{ T: 'subscription', trades: 'everything' }],
  ];
  const frames: (string | Buffer)[] = [];
  for (let i = 0; i < count; i++) {
    const pick = Math.floor(next() * 4);
    if (pick === 0) {
      const whole = encoding === 'json' ? Buffer.from(JSON.stringify(valid)) : Buffer.from(encode(valid));
      const cut = whole.subarray(0, 1 + Math.floor(next() * (whole.length - 1)));
      frames.push(encoding === 'json' ? cut.toString('utf8') : cut);
    } else if (pick === 1) {
      frames.push(
        Buffer.from(Array.from({ length: 1 + Math.floor(next() * 512) }, () => Math.floor(next() * 256))),
      );
    } else {
      const shape = shapes[Math.floor(next() * shapes.length)];
      frames.push(encoding === 'json' ? JSON.stringify(shape) : Buffer.from(encode(shape)));
    }
  }
  return frames;
}

// Seeded hostile frames from the market-data stream: counted and dropped, the source stays up
// and the next good trade still arrives. FUZZ_SEED replays a failing run.
describe.each(['json', 'msgpack'] as const)('malformed Alpaca frames (%s)', (encoding) => {
  it('never stop the stream', async () => {
    const alpaca = await FakeAlpaca.start();
    const trades: Trade[] = [];
    let rejected = 0;
    const source = createAlpacaSource({
      sink: { trade: (t) => trades.push(t), quote: () => undefined, bar: () => undefined },
      url: alpaca.url,
      keyId: FAKE_KEY.key,
      secretKey: FAKE_KEY.secret,
      encoding,
      symbols: ['AAPL'],
      backoff: { initialMs: 10, maxMs: 50 },
      onError: () => rejected++,
    });
    try {
      await source.start();
      await eventually(() => source.subscriptions().trades.includes('AAPL'), 10000, 'the subscription');
      for (const frame of hostileFrames(encoding, rng(), 300)) alpaca.pushRaw(frame);
      // A junk frame may look like a server error and make the source reconnect: push the good
      // trade until it arrives.
      await eventually(
        () => {
          alpaca.push([
            { T: 't', S: 'AAPL', i: 777, x: 'V', p: 101.5, s: 3, c: [], t: '2026-11-20T15:31:00Z', z: 'C' },
          ]);
          return trades.some((t) => t.trade_id === '777');
        },
        15000,
        'the good trade after the junk',
      );
      expect(source.state).toBe('running');
      expect(rejected).toBeGreaterThan(20); // each refused frame or record is counted (some junk, e.g. an 'error' message, is handled as such)
      expect(
        trades.every((t) => Number.isFinite(t.price) && t.price > 0 && t.size > 0 && t.symbol === 'AAPL'),
      ).toBe(true);
    } finally {
      await source.stop();
      await alpaca.close();
    }
  }, 30000);
});
