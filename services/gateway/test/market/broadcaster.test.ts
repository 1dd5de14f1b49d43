import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Quote, Trade } from '@tickstream/contracts';
import { prom } from '@tickstream/platform';
import { Server } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import { io as connect } from 'socket.io-client';
import WebSocket from 'ws';
import { MarketBroadcaster } from '../../src/market/broadcaster';
import { SLOW_ROOM } from '../../src/market/slow-sockets';
import { SnapshotStore } from '../../src/market/snapshots';
import type { GatewayServer } from '../../src/sockets/server';
import { symbolRoom } from '../../src/sockets/server';
import { eventually } from '../../../../test/support/env';
import { bar, quote } from '../support/records';

const INTERVAL = 100;
const MAX_PACKETS = 5;

// The broadcaster on a real Socket.IO server in this process, no Kafka: sockets join the AAPL
// room on connect (the subscribe path is tested in test/sockets).
describe('MarketBroadcaster', () => {
  let server: http.Server;
  let io: GatewayServer;
  let url: string;
  let registry: prom.Registry;
  let broadcaster: MarketBroadcaster;
  // What the sampler draws: a test sets it; 1 never samples.
  let draw = 1;
  const spans = new InMemorySpanExporter();

  beforeAll(() => {
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    );
  });
  afterAll(() => trace.disable());
  const clients: ClientSocket[] = [];
  const raw: WebSocket[] = [];

  const counter = (name: string) => registry.getSingleMetric(name) as prom.Counter<string>;
  const value = async (name: string, labels: Record<string, string> = {}) =>
    (await counter(name).get()).values.find((v) =>
      Object.entries(labels).every(([k, l]) => v.labels[k] === l),
    )?.value ?? 0;

  beforeEach(async () => {
    server = http.createServer();
    io = new Server(server, { serveClient: false }) as GatewayServer;
    registry = new prom.Registry();
    broadcaster = new MarketBroadcaster(
      io,
      new SnapshotStore(10),
      {
        sent: new prom.Counter({ name: 'sent', help: 'h', labelNames: ['event'], registers: [registry] }),
        conflated: new prom.Counter({ name: 'conflated', help: 'h', registers: [registry] }),
        dropped: new prom.Counter({
          name: 'dropped',
          help: 'h',
          labelNames: ['event'],
          registers: [registry],
        }),
        tickToEmit: new prom.Histogram({
          name: 'tick_to_emit',
          help: 'h',
          labelNames: ['event'],
          registers: [registry],
        }),
        conflationHold: new prom.Histogram({ name: 'conflation_hold', help: 'h', registers: [registry] }),
      },
      { intervalMs: INTERVAL, maxBufferedPackets: MAX_PACKETS, traceRatio: 0.1, random: () => draw },
    );
    // Sockets that connect with ?filler=1 also join a room for bulk traffic of the test's own.
    io.on(
      'connection',
      (s) => void s.join(s.handshake.query.filler ? [symbolRoom('AAPL'), 'filler'] : symbolRoom('AAPL')),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    draw = 1;
    spans.reset();
    broadcaster.stop();
    for (const c of clients.splice(0)) c.close();
    for (const w of raw.splice(0)) w.terminate();
    await new Promise<void>((r) => io.close(() => r()));
  });

  async function client(): Promise<{ socket: ClientSocket; quotes: Quote[]; trades: Trade[] }> {
    const socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    clients.push(socket);
    const quotes: Quote[] = [];
    const trades: Trade[] = [];
    socket.on('quote' as never, (q: Quote) => void quotes.push(q));
    socket.on('trade' as never, (t: Trade) => void trades.push(t));
    await new Promise((r) => socket.once('connect', () => r(undefined)));
    await eventually(
      () => io.sockets.adapter.rooms.get(symbolRoom('AAPL'))?.has(socket.id!) ?? false,
      5000,
      'joined',
    );
    return { socket, quotes, trades };
  }

  it('sends the latest quote of a turn at once and the latest of the rest one interval later', async () => {
    const { quotes } = await client();
    for (let i = 1; i <= 5; i++) broadcaster.quote(quote('AAPL', i));
    await new Promise((r) => setImmediate(r));
    for (let i = 6; i <= 10; i++) broadcaster.quote(quote('AAPL', i));
    await eventually(() => quotes.length === 2, 5000, 'the leading and the trailing quote');
    await new Promise((r) => setTimeout(r, 3 * INTERVAL));
    expect(quotes.map((q) => q.bid_price)).toEqual([5, 10]);
    expect(await value('conflated')).toBe(8);
    expect(await value('sent', { event: 'quote' })).toBe(2);
  });

  it("measures a tick's age at emit apart from a bar's, which has been through features first", async () => {
    const { socket, quotes } = await client();
    const bars: unknown[] = [];
    socket.on('bar' as never, (b: unknown) => void bars.push(b));
    broadcaster.quote(quote('AAPL', 1));
    broadcaster.bar({ ...bar('AAPL', 0, 1), ingest_time: Date.now() - 500 });
    await eventually(() => bars.length === 1 && quotes.length === 1, 5000, 'the quote and the bar');
    const series = (await (registry.getSingleMetric('tick_to_emit') as prom.Histogram<'event'>).get()).values;
    const stat = (event: string, name: string) =>
      series.find((v) => v.labels.event === event && v.metricName === `tick_to_emit_${name}`)?.value;
    expect([stat('quote', 'count'), stat('bar', 'count')]).toEqual([1, 1]);
    expect(stat('quote', 'sum')).toBeLessThan(0.5);
    expect(stat('bar', 'sum')).toBeGreaterThanOrEqual(0.5);
  });

  it('skips a socket whose queue is full for quotes until it drains, without touching the others', async () => {
    const fast = await client();
    // A client that stops reading: a raw Engine.IO WebSocket whose TCP socket is paused.
    const slow = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket&filler=1`);
    raw.push(slow);
    const frames: string[] = [];
    slow.on('message', (d) => {
      const f = d.toString();
      if (f === '2') slow.send('3'); // ping -> pong
      if (f.startsWith('0')) slow.send('40'); // Engine.IO open -> Socket.IO connect
      frames.push(f.slice(0, 40));
    });
    await eventually(() => frames.some((f) => f.startsWith('40')), 5000, 'the raw client connected');
    const slowId = [...io.sockets.sockets.keys()].find((id) => id !== fast.socket.id)!;
    await eventually(
      () => io.sockets.adapter.rooms.get(symbolRoom('AAPL'))?.has(slowId) ?? false,
      5000,
      'joined',
    );
    (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    // More than the kernel's socket buffers hold, so the transport stays busy with it, then
    // small packets that queue behind it.
    const filler = (payload: unknown) =>
      (io.to('filler').emit as (event: string, p: unknown) => boolean)('bar', payload);
    filler({ source: 'x'.repeat(32 * 1024 * 1024) });
    for (let i = 0; i < MAX_PACKETS + 1; i++) filler({ i });
    expect(io.sockets.adapter.rooms.get(SLOW_ROOM)).toEqual(new Set([slowId]));

    broadcaster.quote(quote('AAPL', 1));
    await eventually(() => fast.quotes.length === 1, 5000, 'the quote on the fast socket');
    expect(await value('sent', { event: 'quote' })).toBe(1);
    expect(await value('dropped', { event: 'quote' })).toBe(1);

    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    await eventually(() => !io.sockets.adapter.rooms.has(SLOW_ROOM), 20000, 'the slow socket drained');
    await new Promise((r) => setTimeout(r, INTERVAL));
    broadcaster.quote(quote('AAPL', 2));
    await eventually(
      () => frames.some((f) => f.startsWith('42["quote"')),
      20000,
      'a quote on the drained socket',
    );
    expect(frames.filter((f) => f.startsWith('42["quote"'))).toHaveLength(1);
    expect(fast.quotes.map((q) => q.bid_price)).toEqual([1, 2]);
  }, 60000);

  it('traces quote and trade sends only when sampled, one span per batch; a bar always', async () => {
    const { quotes, trades } = await client();
    broadcaster.quote(quote('AAPL', 1));
    await new Promise((r) => setImmediate(r));
    broadcaster.quote(quote('AAPL', 2));
    broadcaster.bar(bar('AAPL', 0, 1));
    await eventually(() => quotes.length === 2, 5000, 'the unsampled quotes');
    expect(spans.getFinishedSpans().map((s) => s.name)).toEqual(['socket.io emit bar']);
    spans.reset();

    draw = 0.05; // under traceRatio 0.1: every send is traced
    const trade = (price: number) => ({
      ...quote('AAPL', price),
      price,
      size: 1,
      exchange: null,
      trade_id: null,
    });
    broadcaster.quote(quote('AAPL', 3));
    broadcaster.trade(trade(4));
    await new Promise((r) => setImmediate(r));
    broadcaster.quote(quote('AAPL', 5));
    broadcaster.trade(trade(6));
    await eventually(
      () => quotes.at(-1)?.bid_price === 5 && trades.at(-1)?.price === 6,
      5000,
      'the latest quote and trade',
    );
    const traced = spans.getFinishedSpans();
    expect(new Set(traced.map((s) => s.name))).toEqual(new Set(['socket.io emit conflated']));
    // One span per send, each counting the updates it carried (the leading ones of a turn
    // share one, as do trailing ones due together).
    const carried = traced.reduce((n, s) => n + Number(s.attributes['socket.io.updates']), 0);
    expect(carried).toBe(quotes.length - 2 + trades.length);
  });
});
