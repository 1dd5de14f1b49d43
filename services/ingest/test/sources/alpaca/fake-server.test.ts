import WebSocket from 'ws';
import { eventually } from '../../../../../test/support/env';
import { FAKE_KEY, FakeAlpaca } from '../../../../../test/support/fake-alpaca';

/** The fake's own protocol edges that the client never provokes on purpose. */
describe('fake Alpaca market-data stream', () => {
  let alpaca: FakeAlpaca;
  // Long enough that a frame sent right after the socket opens is handled before it even on a
  // loaded machine (at 50 ms the timeout sometimes won, and the 401 never came).
  beforeEach(async () => {
    alpaca = await FakeAlpaca.start({ authTimeoutMs: 1000 });
  });
  afterEach(() => alpaca.close());

  function connect(): Promise<{ ws: WebSocket; frames: unknown[]; closed: Promise<void> }> {
    const ws = new WebSocket(`${alpaca.url}/test`);
    const frames: unknown[] = [];
    ws.on('message', (data) => frames.push(...(JSON.parse(String(data)) as unknown[])));
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    return new Promise((resolve) => ws.once('open', () => resolve({ ws, frames, closed })));
  }

  it('times out a silent client with 404 and refuses requests before auth with 401', async () => {
    const { ws, frames, closed } = await connect();
    ws.send(JSON.stringify({ action: 'subscribe', trades: ['FAKEPACA'] }));
    await closed;
    expect(frames).toEqual([
      { T: 'success', msg: 'connected' },
      { T: 'error', code: 401, msg: 'not authenticated' },
      { T: 'error', code: 404, msg: 'auth timeout' },
    ]);
  });

  it('replies to a subscribe with every channel of the current set', async () => {
    const { ws, frames } = await connect();
    ws.send(JSON.stringify({ action: 'auth', key: FAKE_KEY.key, secret: FAKE_KEY.secret }));
    ws.send(JSON.stringify({ action: 'subscribe', trades: ['FAKEPACA'], bars: ['*'] }));
    await eventually(() => frames.some((f) => (f as { T?: string }).T === 'subscription'), 5000, 'the reply');
    expect(frames.at(-1)).toEqual({
      T: 'subscription',
      trades: ['FAKEPACA'],
      quotes: [],
      bars: ['*'],
      updatedBars: [],
      dailyBars: [],
      statuses: [],
      lulds: [],
      corrections: [],
      cancelErrors: [],
    });
    ws.close();
  });
});
