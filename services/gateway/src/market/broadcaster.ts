import type { Bar, FeatureVector, OrderEvent, Prediction, Quote, Trade } from '@tickstream/contracts';
import type { prom } from '@tickstream/platform';
import { inSpan } from '@tickstream/platform';
import type { GatewayServer } from '../sockets/server';
import { symbolRoom, userRoom } from '../sockets/server';
import { Conflator } from './conflator';
import type { SnapshotStore } from './snapshots';

const SLOW_ROOM = 'slow-clients';

export interface BroadcastMetrics {
  sent: prom.Counter<'event'>;
  conflated: prom.Counter;
  dropped: prom.Counter<'event'>;
  tickToEmit: prom.Histogram;
}

/**
 * Fans market events out to the sockets subscribed to each symbol. Quotes and trades are
 * conflated (latest per symbol per `intervalMs`); bars, features and predictions go out as they
 * come. A socket whose outgoing buffer holds more than `maxBufferedPackets` is moved to a
 * "slow" room and skipped for conflated events until it drains, so no client is given an
 * unbounded queue; what it missed is superseded by the next quote anyway.
 */
export class MarketBroadcaster {
  private readonly conflator = new Conflator();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: GatewayServer,
    private readonly store: SnapshotStore,
    private readonly metrics: BroadcastMetrics,
    private readonly opts: { intervalMs: number; maxBufferedPackets: number },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.flush(), this.opts.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  quote(q: Quote): void {
    this.store.quote(q);
    this.conflator.quote(q);
  }

  trade(t: Trade): void {
    this.store.trade(t);
    this.conflator.trade(t);
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

  private emitNow<E extends 'bar' | 'features' | 'prediction'>(
    symbol: string,
    event: E,
    payload: Parameters<GatewayServer['emit']>[1],
    ingestTime: number,
  ): void {
    const room = this.io.sockets.adapter.rooms.get(symbolRoom(symbol));
    if (!room || room.size === 0) return;
    // A child of the Kafka consume span, so the trace of a bar ends at its delivery to sockets.
    inSpan(
      `socket.io emit ${event}`,
      { 'socket.io.event': event, 'socket.io.room': symbolRoom(symbol), 'socket.io.recipients': room.size },
      () => (this.io.to(symbolRoom(symbol)).emit as (e: string, p: unknown) => boolean)(event, payload),
    );
    this.metrics.sent.inc({ event }, room.size);
    this.metrics.tickToEmit.observe((Date.now() - ingestTime) / 1000);
  }

  /** One conflation interval: mark slow sockets, then send the latest quote and trade per symbol. */
  flush(): void {
    const { quotes, trades } = this.conflator.drain();
    this.metrics.conflated.inc(this.conflator.conflated);
    this.conflator.conflated = 0;
    if (quotes.length === 0 && trades.length === 0) return;
    const slow = this.markSlowSockets();
    const now = Date.now();
    for (const [event, records] of [
      ['quote', quotes],
      ['trade', trades],
    ] as const) {
      for (const r of records) {
        const room = this.io.sockets.adapter.rooms.get(symbolRoom(r.symbol));
        if (!room || room.size === 0) continue;
        let skipped = 0;
        if (slow.size > 0) for (const id of room) if (slow.has(id)) skipped++;
        inSpan(
          `socket.io emit ${event}`,
          {
            'socket.io.event': event,
            'socket.io.room': symbolRoom(r.symbol),
            'socket.io.recipients': room.size - skipped,
          },
          () =>
            (this.io.to(symbolRoom(r.symbol)).except(SLOW_ROOM).emit as (e: string, p: unknown) => boolean)(
              event,
              r,
            ),
        );
        this.metrics.sent.inc({ event }, room.size - skipped);
        if (skipped > 0) this.metrics.dropped.inc({ event }, skipped);
        this.metrics.tickToEmit.observe((now - r.ingest_time) / 1000);
      }
    }
  }

  private markSlowSockets(): Set<string> {
    const slow = new Set<string>();
    for (const [id, socket] of this.io.sockets.sockets) {
      const buffered = (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length;
      if (buffered > this.opts.maxBufferedPackets) {
        slow.add(id);
        void socket.join(SLOW_ROOM);
      } else if (socket.rooms.has(SLOW_ROOM)) {
        void socket.leave(SLOW_ROOM);
      }
    }
    return slow;
  }
}
