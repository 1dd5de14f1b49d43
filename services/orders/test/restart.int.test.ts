import { eventually } from '../../../test/support/env';
import type { OrdersHarness } from './harness';
import { quote } from './domain/fixtures';
import { ordersHarness } from './harness';

let h: OrdersHarness;

beforeAll(async () => {
  h = await ordersHarness('orders-restart');
});

afterAll(async () => {
  await h.close();
});

describe('order service start', () => {
  it('prices a command that waited in Kafka with the quotes published before the start', async () => {
    const account = await h.user();
    // Many quotes ahead of the one that matters, so the quote reader needs a while to reach it
    // while the command reader has a single record to read.
    const topic = h.bed.names.of('quotes');
    await h.bed.codec.registerAll(['quotes']);
    const now = Date.now();
    for (let batch = 0; batch < 8; batch++) {
      const messages = Array.from({ length: 10_000 }, (_, i) => {
        const symbol = `R${String(i % 600).padStart(3, '0')}`;
        const q = quote(10 + (i % 7), 10.05 + (i % 7), { symbol, time: now, bidSize: 100, askSize: 100 });
        return { key: symbol, value: h.bed.codec.encodeSync('quotes', q) };
      });
      await h.bed.producer.send({ topic, messages });
    }
    await h.quote('RSTX', 40, 40.02);
    const cmd = await h.place(account, { symbol: 'RSTX' });

    await h.start();
    const outcome = await eventually(
      () => h.eventsOf(cmd.order_id).find((e) => e.type === 'FILLED' || e.type === 'REJECTED'),
      40_000,
      'the order filled or rejected',
    );
    expect(outcome).toMatchObject({ type: 'FILLED', reason_code: null, last_fill_price: 40.02 });
    expect(h.eventsOf(cmd.order_id).map((e) => e.type)).toEqual(['ACCEPTED', 'NEW', 'FILLED']);
  });
});
