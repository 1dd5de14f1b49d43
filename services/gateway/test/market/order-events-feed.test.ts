import { randomUUID } from 'node:crypto';
import type { AnyInRecord, TypedProducer } from '@tickstream/platform';
import { eventually } from '../../../../test/support/env';
import type { KafkaTestbed } from '../../../../test/support/kafka';
import { kafkaTestbed, silentLog, typedProducer } from '../../../../test/support/kafka';
import { orderEvent } from '../../../../test/support/order-commands';
import { quote } from '../../../../test/support/records';
import type { MarketFeed, OrderEventsFeed } from '../../src/market';
import { createMarketFeed, createOrderEventsFeed } from '../../src/market';
import { FeedPositions } from '../../src/market/readiness';

// A trader watching for an order's outcome must not wait behind market data: while the market
// feed is busy with a batch of quotes (here: its handler does not return), order events still
// arrive. In one consumer for both, as before, the order event waited for the quote batch.
describe('the gateway reads order events apart from market data', () => {
  let bed: KafkaTestbed;
  let producer: TypedProducer;
  const feeds: Array<MarketFeed | OrderEventsFeed> = [];
  let release = () => {};

  beforeAll(async () => {
    bed = await kafkaTestbed('gw-order-feed');
    producer = await typedProducer(bed);
  });

  afterAll(async () => {
    release();
    for (const f of feeds) await f.stop();
    await producer.disconnect();
    await bed.close();
  });

  it('delivers an order event while the market feed is stuck in a quote batch', async () => {
    const deps = {
      kafka: bed.kafka,
      admin: bed.admin,
      codec: bed.codec,
      names: bed.names,
      deadLetters: bed.producer,
      log: silentLog,
      replicaId: randomUUID(),
      positions: new FeedPositions(),
    };
    const market = createMarketFeed({ ...deps, barHistoryMs: 60_000 });
    const orders = createOrderEventsFeed(deps);
    feeds.push(market, orders);

    const released = new Promise<void>((r) => (release = r));
    const quotesSeen: string[] = [];
    const eventsSeen: string[] = [];
    const handle = async (records: AnyInRecord[]) => {
      for (const r of records) {
        if (r.topicId === 'quotes') {
          quotesSeen.push(r.value.symbol);
          await released;
        } else if (r.topicId === 'orderEvents') eventsSeen.push(r.value.order_id);
      }
    };
    await market.start(handle);
    await orders.start(handle);

    await producer.send('quotes', [{ key: 'AAPL', value: quote('AAPL', 100) }]);
    await eventually(async () => quotesSeen.length > 0, 30000, 'the market feed to take the quote');

    const event = orderEvent(randomUUID());
    await producer.send('orderEvents', [{ key: event.account_id, value: event }]);
    await eventually(async () => eventsSeen.includes(event.order_id), 30000, 'the order event');
    // Still inside the quote batch: the order event did not wait for it.
    expect(quotesSeen).toEqual(['AAPL']);
  });
});
