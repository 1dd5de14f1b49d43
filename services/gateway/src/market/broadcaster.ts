import type { Bar, FeatureVector, OrderEvent, Prediction, Quote, Trade } from '@tickstream/contracts';
import type { prom } from '@tickstream/platform';
import { inSpan } from '@tickstream/platform';
import type { GatewayServer } from '../sockets/server';
import { symbolRoom, userRoom } from '../sockets/server';
import type { ConflatedUpdate } from './conflator';
import { Conflator } from './conflator';
import { SLOW_ROOM, slowIn, trackSlowSockets } from './slow-sockets';
import type { SnapshotStore } from './snapshots';

export interface BroadcastMetrics {
  sent: prom.Counter<'event'>;
  conflated: prom.Counter;
  dropped: prom.Counter<'event'>;
  tickToEmit: prom.Histogram<'event'>;
  conflationHold: prom.Histogram;
}

export interface BroadcastOptions {
  /** The conflation interval of quotes and trades (MARKET_UPDATE_INTERVAL). */
  intervalMs: number;
  /** A socket with this many packets queued skips quotes and trades until they are written. */
  maxBufferedPackets: number;
  /** The share of quote and trade sends traced (0..1); bars, features and predictions always are. */
  traceRatio: number;
  /** For tests of the sampling; Math.random otherwise. */
  random?: () => number;
}

type Emit = (event: string, payload: unknown) => boolean;
type MarketEvent = 'quote' | 'trade' | 'bar' | 'features' | 'prediction';

/**
 * Fans market events out to the sockets subscribed to each symbol. Quotes and trades are
 * conflated per symbol (leading edge, at most one each per `intervalMs`, market/conflator.ts);
 * bars, features and predictions go out as they come. A socket whose outgoing queue is full
 * skips quotes and trades until it drains (market/slow-sockets.ts), so no client is given an
 * unbounded queue; what it missed is superseded by the next quote anyway.
 *
 * Quotes and trades are the hot path (thousands of room emits a second): each batch of them is
 * traced only with probability `traceRatio`, as one span; the rare events keep a span each, a
 * child of the Kafka consume span, so a bar's trace ends at its delivery to sockets.
 */
export class MarketBroadcaster {
  private readonly conflator: Conflator;
  private readonly random: () => number;
  private readonly roomNames = new Map<string, string>();
  /** The tick-to-emit series of each event, bound once: a labelled observe hashes its labels. */
  private readonly emitAge: Record<MarketEvent, prom.Histogram.Internal<'event'>>;

  constructor(
    private readonly io: GatewayServer,
    private readonly store: SnapshotStore,
    private readonly metrics: BroadcastMetrics,
    private readonly opts: BroadcastOptions,
  ) {
    this.random = opts.random ?? Math.random;
    const events: MarketEvent[] = ['quote', 'trade', 'bar', 'features', 'prediction'];
    this.emitAge = Object.fromEntries(events.map((e) => [e, metrics.tickToEmit.labels(e)])) as Record<
      MarketEvent,
      prom.Histogram.Internal<'event'>
    >;
    this.conflator = new Conflator({
      intervalMs: opts.intervalMs,
      emit: (updates) => this.send(updates),
      superseded: (n) => metrics.conflated.inc(n),
      held: (ms) => metrics.conflationHold.observe(ms / 1000),
    });
    trackSlowSockets(io, opts.maxBufferedPackets);
  }

  stop(): void {
    this.conflator.stop();
  }

  quote(q: Quote): void {
    this.store.quote(q);
    this.conflator.offer({ event: 'quote', record: q });
  }

  trade(t: Trade): void {
    this.store.trade(t);
    this.conflator.offer({ event: 'trade', record: t });
  }

  bar(b: Bar): void {
    if (this.store.bar(b)) this.emitNow(b.symbol, 'bar', b, b.ingest_time);
  }

  features(f: FeatureVector): void {
    this.store.features(f);
    this.emitNow(f.symbol, 'features', f, f.bar_ingest_time);
  }

  prediction(p: Prediction): void {
    this.store.prediction(p);
    this.emitNow(p.symbol, 'prediction', p, p.bar_ingest_time);
  }

  orderEvent(e: OrderEvent): void {
    this.io.to(userRoom(e.account_id)).emit('order_event', e);
    this.metrics.sent.inc({ event: 'order_event' });
  }

  private emitNow(
    symbol: string,
    event: 'bar' | 'features' | 'prediction',
    payload: unknown,
    ingestTime: number,
  ): void {
    const room = this.io.sockets.adapter.rooms.get(symbolRoom(symbol));
    if (!room || room.size === 0) return;
    inSpan(
      `socket.io emit ${event}`,
      { 'socket.io.event': event, 'socket.io.room': symbolRoom(symbol), 'socket.io.recipients': room.size },
      () => (this.io.to(symbolRoom(symbol)).emit as Emit)(event, payload),
    );
    this.metrics.sent.inc({ event }, room.size);
    this.emitAge[event].observe((Date.now() - ingestTime) / 1000);
  }

  /** Sends quotes and trades the conflator let out, skipping slow sockets. */
  private send(updates: ConflatedUpdate[]): void {
    if (this.opts.traceRatio > 0 && this.random() < this.opts.traceRatio) {
      inSpan('socket.io emit conflated', { 'socket.io.updates': updates.length }, () =>
        this.sendAll(updates),
      );
    } else {
      this.sendAll(updates);
    }
  }

  private sendAll(updates: ConflatedUpdate[]): void {
    const now = Date.now();
    const rooms = this.io.sockets.adapter.rooms;
    // Counted per batch: a labelled counter hashes its labels on every call.
    const sent = { quote: 0, trade: 0 };
    const dropped = { quote: 0, trade: 0 };
    for (const { event, record } of updates) {
      const name = this.roomOf(record.symbol);
      const room = rooms.get(name);
      if (!room || room.size === 0) continue;
      // A socket may turn slow during this loop, so each emit looks again (a Map lookup).
      const skipped = rooms.has(SLOW_ROOM) ? slowIn(this.io, room) : 0;
      const to = this.io.to(name);
      ((skipped > 0 ? to.except(SLOW_ROOM) : to).emit as Emit)(event, record);
      sent[event] += room.size - skipped;
      dropped[event] += skipped;
      this.emitAge[event].observe((now - record.ingest_time) / 1000);
    }
    for (const event of ['quote', 'trade'] as const) {
      if (sent[event] > 0) this.metrics.sent.inc({ event }, sent[event]);
      if (dropped[event] > 0) this.metrics.dropped.inc({ event }, dropped[event]);
    }
  }

  /** The symbol's room name, made once per symbol rather than per update. */
  private roomOf(symbol: string): string {
    let name = this.roomNames.get(symbol);
    if (name === undefined) this.roomNames.set(symbol, (name = symbolRoom(symbol)));
    return name;
  }
}
