import type { Trade } from '@tickstream/contracts';
import { AvroCodec, TickstreamError, TopicNames } from '@tickstream/platform';
import { TEST_ENV, uniquePrefix } from '../../../../test/support/env';
import { quote } from '../../../../test/support/records';

const trade = (conditions: string[]): Trade => ({
  symbol: 'AAPL',
  event_time: Date.UTC(2026, 11, 4, 15),
  price: 187.25,
  size: 100,
  trade_id: '42',
  exchange: 'V',
  conditions,
  tape: 'C',
  source: 'sim',
  ingest_time: Date.UTC(2026, 11, 4, 15, 0, 0, 3),
});

describe('AvroCodec.encodeSync', () => {
  let codec: AvroCodec;

  beforeAll(async () => {
    codec = new AvroCodec({
      registryUrl: TEST_ENV.SCHEMA_REGISTRY_URL,
      topics: new TopicNames(uniquePrefix('encsync')),
    });
    await codec.registerAll(['trades', 'quotes']);
  });

  it('writes the bytes encode writes, each record in a buffer of its own', async () => {
    const q = quote('MSFT', 410.5);
    const t = trade(['@', 'T']);
    const qBytes = codec.encodeSync('quotes', q);
    const tBytes = codec.encodeSync('trades', t);
    expect(qBytes).toEqual(await codec.encode('quotes', q));
    expect(tBytes).toEqual(await codec.encode('trades', t));
    // The first buffer is not a view of memory the second encode reused.
    expect(await codec.decode('quotes', qBytes)).toEqual(q);
    expect(await codec.decode('trades', tBytes)).toEqual(t);
  });

  it('encodes a record larger than its scratch buffer, and the small ones after it', async () => {
    const big = trade(Array.from({ length: 20_000 }, (_, i) => `c${i}`));
    const bytes = codec.encodeSync('trades', big);
    expect(bytes.length).toBeGreaterThan(100_000);
    expect(bytes).toEqual(await codec.encode('trades', big));
    const small = trade([]);
    expect(await codec.decode('trades', codec.encodeSync('trades', small))).toEqual(small);
  });

  it('refuses a value the schema does not take, and the next record still encodes whole', async () => {
    const bad = { ...trade([]), price: 'not a number' } as unknown as Trade;
    expect(() => codec.encodeSync('trades', bad)).toThrow(TickstreamError);
    try {
      codec.encodeSync('trades', bad);
    } catch (err) {
      expect((err as TickstreamError).code).toBe('ENCODE_FAILED');
    }
    const q = quote('AAPL', 187.2);
    expect(codec.encodeSync('quotes', q)).toEqual(await codec.encode('quotes', q));
  });
});
