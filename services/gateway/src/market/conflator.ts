import type { Quote, Trade } from '@tickstream/contracts';

/** A quote or trade to send to the sockets of its symbol. */
export type ConflatedUpdate = { event: 'quote'; record: Quote } | { event: 'trade'; record: Trade };

export interface ConflatorOptions {
  intervalMs: number;
  /** Sends updates now: the leading updates of one turn, or every trailing update due at one timer. */
  emit(updates: ConflatedUpdate[]): void;
  /** Counts updates superseded by a newer one of the same symbol and kind before they went out. */
  superseded(count: number): void;
  /**
   * The milliseconds each sent update waited here, from its offer to its send: the part of a
   * quote's age at the client that is conflation by design, not the pipeline's latency.
   */
  held?(ms: number): void;
  /** Monotonic milliseconds; jest's fake timers replace `performance.now` too. */
  now?: () => number;
}

interface Offered {
  update: ConflatedUpdate;
  at: number;
}

interface Window {
  endsAt: number;
  pending: Offered | undefined;
}

/**
 * Leading-edge conflation of the high-rate market events, per symbol and kind (quote, trade):
 * the first update after a quiet interval goes out at once and opens an interval of
 * `intervalMs`; later ones within it are coalesced (latest wins) into one trailing update sent
 * when it ends, which opens the next interval. An interval that ends with nothing pending
 * closes, so the next update leads again. So each symbol gets at most one quote and one trade
 * per interval, and an update with nothing to conflate waits for no timer.
 *
 * "At once" is at the end of the current turn of the event loop (`setImmediate`), all the
 * leading updates of that turn in one batch: the updates of one Kafka batch are offered in its
 * handler, and sending to thousands of sockets there would hold the consumer's next fetch back
 * behind the writes; deferred, the fetch is already on its way while they run. A newer update of
 * the same symbol and kind offered before then replaces the leading one (latest wins there too).
 *
 * Every interval has the same length and opens in time order, so the open intervals, kept in a
 * Map in insertion order, are also in order of their ends: one timer for the earliest is all
 * it takes, and everything due when it fires goes out as one batch.
 */
export class Conflator {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;
  /** Leading updates to send at the end of this turn, by key. */
  private leading = new Map<string, Offered>();
  private immediate: NodeJS.Immediate | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: ConflatorOptions) {
    this.now = opts.now ?? (() => performance.now());
  }

  offer(update: ConflatedUpdate): void {
    const key = `${update.event}:${update.record.symbol}`;
    const offered = { update, at: this.now() };
    if (this.leading.has(key)) {
      this.opts.superseded(1);
      this.leading.set(key, offered);
      return;
    }
    const open = this.windows.get(key);
    if (open) {
      if (open.pending) this.opts.superseded(1);
      open.pending = offered;
      return;
    }
    this.leading.set(key, offered);
    this.immediate ??= setImmediate(this.sendLeading);
  }

  /** Drops what is pending and the timers (shutdown). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.windows.clear();
    this.leading.clear();
  }

  private arm(now: number): void {
    const first = this.windows.values().next();
    if (first.done) return;
    this.timer = setTimeout(this.fire, Math.max(0, first.value.endsAt - now));
    // Pending quotes are worth nothing at exit: the timer must not hold the process open.
    this.timer.unref();
  }

  private readonly sendLeading = (): void => {
    this.immediate = undefined;
    const now = this.now();
    const updates = this.sent([...this.leading.values()], now);
    // Their intervals open now, when they are sent: the latest ends, so the order holds.
    for (const key of this.leading.keys())
      this.windows.set(key, { endsAt: now + this.opts.intervalMs, pending: undefined });
    this.leading.clear();
    if (!this.timer) this.arm(now);
    this.opts.emit(updates);
  };

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.now();
    const due: Offered[] = [];
    const reopen: string[] = [];
    for (const [key, w] of this.windows) {
      if (w.endsAt > now) break;
      this.windows.delete(key);
      if (w.pending) {
        due.push(w.pending);
        reopen.push(key);
      }
    }
    // Reopened from the time they are sent, so the next one is a whole interval later even when
    // this timer ran late.
    for (const key of reopen)
      this.windows.set(key, { endsAt: now + this.opts.intervalMs, pending: undefined });
    this.arm(now);
    if (due.length > 0) this.opts.emit(this.sent(due, now));
  };

  private sent(offered: Offered[], now: number): ConflatedUpdate[] {
    const held = this.opts.held;
    if (held) for (const o of offered) held(now - o.at);
    return offered.map((o) => o.update);
  }
}
