import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { TickstreamError } from '@tickstream/contracts';
import { FakeAlpacaTrading } from '../../../../test/support/fake-alpaca';
import { AlpacaError, AlpacaTradingClient } from '../../src/alpaca';
import { order as validOrder } from '../domain/fixtures';

// The REST client and the trade_updates protocol against the local trading API, without Kafka.
const KEY = { key: 'PKCLIENTTEST0001', secret: 'client-secret' };
let alpaca: FakeAlpacaTrading;

beforeAll(async () => {
  alpaca = await FakeAlpacaTrading.start({ keys: [KEY] });
});

afterAll(async () => {
  await alpaca.close();
});

const headers = { 'APCA-API-KEY-ID': KEY.key, 'APCA-API-SECRET-KEY': KEY.secret };

it('maps a 403 for bad keys to ALPACA_FORBIDDEN, not to buying power', async () => {
  const client = new AlpacaTradingClient(alpaca.url, { keyId: KEY.key, secretKey: 'wrong' });
  const err = await client
    .submit(validOrder({ orderId: randomUUID(), symbol: 'CLA' }))
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AlpacaError);
  expect(err).toBeInstanceOf(TickstreamError);
  // Bad keys stay bad: not worth retrying.
  expect(err).toMatchObject({ status: 403, code: 'ALPACA_FORBIDDEN', retryable: false, name: 'AlpacaError' });
  expect((err as Error).message).not.toContain('wrong');
});

it('marks what Alpaca did not answer or refused for load as retryable, nothing else', () => {
  const retryable = [0, 400, 403, 404, 422, 429, 500, 503].map(
    (status) => new AlpacaError(status, 'X', 'x').retryable,
  );
  expect(retryable).toEqual([true, false, false, false, false, true, true, true]);
});

it('finds an order by our client_order_id, and answers null for one Alpaca never saw', async () => {
  const client = new AlpacaTradingClient(alpaca.url, { keyId: KEY.key, secretKey: KEY.secret });
  const order = validOrder({ orderId: randomUUID(), symbol: 'CLB', qty: 3 });
  const placed = await client.submit(order);
  expect(placed).toMatchObject({
    client_order_id: order.orderId,
    qty: '3',
    filled_qty: '0',
    status: 'accepted',
  });
  expect(await client.byClientOrderId(order.orderId)).toMatchObject({ id: placed.id });
  expect(await client.byClientOrderId('never-sent')).toBeNull();
});

it('reports account and positions with money and quantities as strings, and rate-limit headers', async () => {
  alpaca.setPrice('CLC', 10);
  const client = new AlpacaTradingClient(alpaca.url, { keyId: KEY.key, secretKey: KEY.secret });
  const order = validOrder({ orderId: randomUUID(), symbol: 'CLC', qty: 5 });
  await client.submit(order);
  alpaca.fill(order.orderId, { price: 10 });
  const res = await fetch(`${alpaca.url}/v2/account`, { headers });
  expect(res.headers.get('x-ratelimit-limit')).toBe('200');
  expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(200);
  const account = (await res.json()) as Record<string, unknown>;
  expect(account).toMatchObject({ status: 'ACTIVE', pattern_day_trader: false, trading_blocked: false });
  for (const field of ['cash', 'buying_power', 'equity', 'last_equity'])
    expect(typeof account[field]).toBe('string');
  const positions = (await (await fetch(`${alpaca.url}/v2/positions`, { headers })).json()) as Array<
    Record<string, unknown>
  >;
  expect(positions.find((p) => p.symbol === 'CLC')).toMatchObject({
    qty: '5',
    side: 'long',
    avg_entry_price: '10',
    market_value: '50',
  });
});

it('speaks trade_updates with the older authenticate form, in binary frames', async () => {
  const ws = new WebSocket(alpaca.streamUrl);
  const frames: Array<{ binary: boolean; msg: { stream: string; data: Record<string, unknown> } }> = [];
  ws.on('message', (data: Buffer, binary: boolean) =>
    frames.push({ binary, msg: JSON.parse(data.toString('utf8')) as (typeof frames)[number]['msg'] }),
  );
  await new Promise((r) => ws.once('open', r));
  const next = async (stream: string) => {
    for (let i = 0; i < 50 && !frames.some((f) => f.msg.stream === stream); i++)
      await new Promise((r) => setTimeout(r, 20));
    return frames.find((f) => f.msg.stream === stream);
  };
  ws.send(JSON.stringify({ action: 'authenticate', data: { key_id: KEY.key, secret_key: KEY.secret } }));
  expect((await next('authorization'))?.msg.data.status).toBe('authorized');
  ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
  expect((await next('listening'))?.msg.data).toEqual({ streams: ['trade_updates'] });
  const client = new AlpacaTradingClient(alpaca.url, { keyId: KEY.key, secretKey: KEY.secret });
  const order = validOrder({ orderId: randomUUID(), symbol: 'CLD', qty: 2 });
  await client.submit(order);
  const update = await next('trade_updates');
  expect(update).toMatchObject({
    binary: true,
    msg: { data: { event: 'new', order: { client_order_id: order.orderId, status: 'new' } } },
  });
  ws.terminate();
});

it('refuses a stream with bad keys', async () => {
  const ws = new WebSocket(alpaca.streamUrl);
  await new Promise((r) => ws.once('open', r));
  const reply = new Promise<string>((r) => ws.once('message', (d: Buffer) => r(d.toString('utf8'))));
  const closed = new Promise((r) => ws.once('close', r));
  ws.send(JSON.stringify({ action: 'auth', key: KEY.key, secret: 'nope' }));
  expect(JSON.parse(await reply)).toEqual({
    stream: 'authorization',
    data: { action: 'authenticate', status: 'unauthorized' },
  });
  await closed;
});
