import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { maskKeyId, migrate, seal } from '@tickstream/platform';
import { GATEWAY_MIGRATIONS } from '../../gateway/src/db';
import { eventually } from '../../../test/support/env';
import type { FakeKey } from '../../../test/support/fake-alpaca';
import { FakeAlpacaTrading } from '../../../test/support/fake-alpaca';
import type { OrdersHarness } from './harness';
import { MASTER_KEY, ordersHarness } from './harness';

// AlpacaBroker through Kafka and Postgres against the local trading API. Every user has keys of
// its own, so each is its own account at the fake, and its own symbols, so tests never price or
// fill each other's orders.
let h: OrdersHarness;
let alpaca: FakeAlpacaTrading;
const keys: FakeKey[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  alpaca = await FakeAlpacaTrading.start({ keys });
  h = await ordersHarness('orders-alpaca');
  // broker_credentials is the gateway's table (it stores the keys); the order service reads it.
  await migrate(h.db, GATEWAY_MIGRATIONS);
  const log = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
  await h.start({ alpaca: { tradingUrl: alpaca.url, streamUrl: alpaca.streamUrl }, log });
});

afterAll(async () => {
  await h?.close();
  await alpaca?.close();
});

/** A user trading through Alpaca, keys sealed as the gateway seals them; a quote for `symbol`. */
async function alpacaUser(symbol: string, price = 100): Promise<{ account: string; key: FakeKey }> {
  const [user] = (await h
    .db('users')
    .insert({ email: `alpaca-${randomUUID()}@example.test`, password_hash: 'x' })
    .returning('id')) as Array<{ id: string }>;
  const account = user!.id;
  const key = {
    key: `PK${randomUUID().replace(/-/g, '').slice(0, 18).toUpperCase()}`,
    secret: `secret-${randomUUID()}`,
  };
  keys.push(key);
  const sealed = seal(MASTER_KEY, account, JSON.stringify({ keyId: key.key, secretKey: key.secret }));
  await h.db('broker_credentials').insert({
    user_id: account,
    key_id_masked: maskKeyId(key.key),
    ciphertext: sealed.ciphertext,
    iv: sealed.iv,
    auth_tag: sealed.authTag,
    key_version: sealed.keyVersion,
    paper: true,
  });
  alpaca.setPrice(symbol, price);
  await h.quoted(symbol, price - 0.01, price + 0.01);
  return { account, key };
}

const types = (orderId: string) => h.eventsOf(orderId).map((e) => e.type);

describe('AlpacaBroker against a local Alpaca trading API', () => {
  it('places the order at Alpaca under our order id and follows a partial then a full fill', async () => {
    const { account, key } = await alpacaUser('ALPA', 100);
    const cmd = await h.place(account, { symbol: 'ALPA', qty: 10, broker: 'ALPACA' });
    await h.waitFor(cmd.order_id, 'NEW');
    const post = alpaca.requests.find((r) => r.method === 'POST' && r.body?.client_order_id === cmd.order_id);
    expect(post).toMatchObject({
      keyId: key.key,
      body: { symbol: 'ALPA', qty: '10', side: 'buy', type: 'market', time_in_force: 'day' },
    });

    alpaca.fill(cmd.order_id, { qty: 4, price: 100.5 });
    const partial = await h.waitFor(cmd.order_id, 'PARTIALLY_FILLED');
    expect(partial).toMatchObject({
      last_fill_qty: 4,
      last_fill_price: 100.5,
      filled_qty: 4,
      position_qty: 4,
    });
    alpaca.fill(cmd.order_id, { price: 101 });
    const filled = await h.waitFor(cmd.order_id, 'FILLED');
    expect(filled).toMatchObject({
      last_fill_qty: 6,
      last_fill_price: 101,
      filled_qty: 10,
      position_qty: 10,
    });
    expect(filled.avg_fill_price).toBe(100.8); // (4 x 100.5 + 6 x 101) / 10, exactly
    expect(types(cmd.order_id)).toEqual(['ACCEPTED', 'NEW', 'PARTIALLY_FILLED', 'FILLED']);

    const row = await h.db('orders').where({ order_id: cmd.order_id }).first();
    expect(row).toMatchObject({
      status: 'FILLED',
      filled_qty: '10',
      broker: 'ALPACA',
      broker_order_id: alpaca.order(cmd.order_id)?.id,
    });
    expect(await h.db('fills').where({ order_id: cmd.order_id })).toHaveLength(2);
    const position = await h.db('positions').where({ account_id: account, symbol: 'ALPA' }).first();
    expect(position.qty).toBe('10');
    expect(position.avg_price).toBe('100.8000000000');
  });

  it('rejects with a clear reason when Alpaca refuses for insufficient buying power', async () => {
    const { account, key } = await alpacaUser('ALPB', 50);
    alpaca.account(key.key).cash = 1_000;
    const cmd = await h.place(account, { symbol: 'ALPB', qty: 100, broker: 'ALPACA' });
    const rejected = await h.waitFor(cmd.order_id, 'REJECTED');
    expect(rejected.reason_code).toBe('ALPACA_INSUFFICIENT_BUYING_POWER');
    expect(rejected.reason).toMatch(/insufficient buying power/);
    expect(types(cmd.order_id)).toEqual(['ACCEPTED', 'REJECTED']);
  });

  it("rejects what Alpaca refuses as invalid (422), with Alpaca's message", async () => {
    const { account, key } = await alpacaUser('ALPC');
    alpaca.failNext({
      status: 422,
      key: key.key,
      body: { code: 40010001, message: 'qty must be a multiple of the lot size' },
    });
    const cmd = await h.place(account, { symbol: 'ALPC', qty: 3, broker: 'ALPACA' });
    const rejected = await h.waitFor(cmd.order_id, 'REJECTED');
    expect(rejected).toMatchObject({ reason_code: 'ALPACA_VALIDATION' });
    expect(rejected.reason).toMatch(/qty must be a multiple of the lot size/);
  });

  it('retries a rate-limited submission and places the order once', async () => {
    const { account, key } = await alpacaUser('ALPD');
    alpaca.failNext({ status: 429, key: key.key });
    alpaca.failNext({ status: 429, key: key.key });
    const cmd = await h.place(account, { symbol: 'ALPD', qty: 2, broker: 'ALPACA' });
    await h.waitFor(cmd.order_id, 'NEW');
    const posts = alpaca.requests.filter(
      (r) => r.method === 'POST' && r.body?.client_order_id === cmd.order_id,
    );
    expect(posts).toHaveLength(3);
    expect(alpaca.account(key.key).orders.filter((o) => o.client_order_id === cmd.order_id)).toHaveLength(1);
  });

  it('rejects as rate limited when Alpaca keeps answering 429', async () => {
    const { account, key } = await alpacaUser('ALPE');
    for (let i = 0; i < 4; i++) alpaca.failNext({ status: 429, key: key.key });
    const cmd = await h.place(account, { symbol: 'ALPE', qty: 2, broker: 'ALPACA' });
    const rejected = await h.waitFor(cmd.order_id, 'REJECTED');
    expect(rejected.reason_code).toBe('ALPACA_RATE_LIMITED');
    expect(rejected.reason).toMatch(/rate limit/);
    expect(alpaca.requests.filter((r) => r.method === 'POST' && r.keyId === key.key)).toHaveLength(4);
    expect(alpaca.order(cmd.order_id)).toBeUndefined();
  });

  it('after the stream drops, reconnects and reconciles: the fill made meanwhile counts once, a redelivered one not again', async () => {
    const { account, key } = await alpacaUser('ALPF', 20);
    const cmd = await h.place(account, { symbol: 'ALPF', qty: 10, broker: 'ALPACA' });
    await h.waitFor(cmd.order_id, 'NEW');
    const first = alpaca.fill(cmd.order_id, { qty: 3, price: 20 });
    await h.waitFor(cmd.order_id, 'PARTIALLY_FILLED');

    alpaca.dropStream({ refuse: true });
    alpaca.fill(cmd.order_id, { qty: 7, price: 21 });
    await new Promise((r) => setTimeout(r, 800));
    expect(types(cmd.order_id)).toEqual(['ACCEPTED', 'NEW', 'PARTIALLY_FILLED']);
    alpaca.allowConnections();

    const filled = await h.waitFor(cmd.order_id, 'FILLED', 30_000);
    expect(filled).toMatchObject({ last_fill_qty: 7, last_fill_price: 21, filled_qty: 10, position_qty: 10 });
    await eventually(
      () => alpaca.stream.clients.size > 0 && [...alpaca.stream.clients].every((c) => c.listening),
      10_000,
      'the stream back',
    );
    alpaca.resend(key.key, first);
    const marker = await h.place(account, { symbol: 'ALPF', qty: 1, broker: 'ALPACA' });
    await h.waitFor(marker.order_id, 'NEW');
    expect(types(cmd.order_id)).toEqual(['ACCEPTED', 'NEW', 'PARTIALLY_FILLED', 'FILLED']);
    expect(await h.db('fills').where({ order_id: cmd.order_id })).toHaveLength(2);
    expect(await h.db('positions').where({ account_id: account, symbol: 'ALPF' }).first()).toMatchObject({
      qty: '10',
    });
  });

  it("prices a fill whose earlier execution update was lost by Alpaca's cumulative average", async () => {
    const { account } = await alpacaUser('ALPH', 20);
    const cmd = await h.place(account, { symbol: 'ALPH', qty: 10, broker: 'ALPACA' });
    await h.waitFor(cmd.order_id, 'NEW');
    alpaca.fill(cmd.order_id, { qty: 3, price: 20, lost: true });
    alpaca.fill(cmd.order_id, { qty: 7, price: 21 });
    const filled = await h.waitFor(cmd.order_id, 'FILLED');
    expect(filled.last_fill_qty).toBe(10);
    expect(filled.last_fill_price).toBeCloseTo(20.7, 9);
    expect(filled.avg_fill_price).toBeCloseTo(20.7, 9);
  });

  it('cancels at Alpaca on a CANCEL command and records what Alpaca reports', async () => {
    const { account } = await alpacaUser('ALPG');
    const cmd = await h.place(account, {
      symbol: 'ALPG',
      qty: 5,
      order_type: 'LIMIT',
      limit_price: 95,
      time_in_force: 'GTC',
      broker: 'ALPACA',
    });
    await h.waitFor(cmd.order_id, 'NEW');
    await h.send({ ...cmd, command_id: randomUUID(), action: 'CANCEL' });
    const canceled = await h.waitFor(cmd.order_id, 'CANCELED');
    expect(canceled.reason_code).toBe('ALPACA_CANCELED');
    expect(
      alpaca.requests.some(
        (r) => r.method === 'DELETE' && r.path === `/v2/orders/${alpaca.order(cmd.order_id)?.id}`,
      ),
    ).toBe(true);
  });

  it('never logs the keys', () => {
    expect(logLines.length).toBeGreaterThan(0);
    const all = logLines.join('\n');
    for (const k of keys) {
      expect(all).not.toContain(k.secret);
      expect(all).not.toContain(k.key);
    }
  });
});
