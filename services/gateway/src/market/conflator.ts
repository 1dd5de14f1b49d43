import type { Quote, Trade } from '@tickstream/contracts';

/** A quote or trade to send to the sockets of its symbol. */
export type ConflatedUpdate = { event: 'quote'; record: Quote } | { event: 'trade'; record: Trade };

export interface ConflatorOptions {
  intervalMs: number;
  /** Sends updates now: one leading update, or every trailing update due at one timer. */
  emit(updates: ConflatedUpdate[]): void;
  /** Counts updates superseded by a newer one of the same symbol and kind before they went out. */
  superseded(count: number): void;
  /** Monotonic milliseconds; jest's fake timers replace `performance.now` too. */
  now?: () => number;
}

interface Window {
  endsAt: number;
  pending: ConflatedUpdate | undefined;
}

/**
 * Leading-edge conflation of the high-rate market events, per symbol and kind (quote, trade):
 * the first update after a quiet interval goes out at once and opens an interval of
 * `intervalMs`; later ones within it are coalesced (latest wins) into one trailing update sent
 * when it ends, which opens the next interval. An interval that ends with nothing pending
 * closes, so the next update leads again. So each symbol gets at most one quote and one trade
 * per interval, and an update with nothing to conflate waits for no timer.
 *
 * Every interval has the same length and opens in time order, so the open intervals, kept in a
 * Map in insertion order, are also in order of their ends: one timer for the earliest is all
 * it takes, and everything due when it fires goes out as one batch.
 */
export class Conflator {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: ConflatorOptions) {
    this.now = opts.now ?? (() => performance.now());
  }

  offer(update: ConflatedUpdate): void {
    const key = `${update.event}:${update.record.symbol}`;
    const open = this.windows.get(key);
    if (open) {
      if (open.pending) this.opts.superseded(1);
      open.pending = update;
      return;
    }
    this.open(key, this.now());
    this.opts.emit([update]);
  }

  /** Drops what is pending and the timer (shutdown). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.windows.clear();
  }

  private open(key: string, now: number): void {
    this.windows.set(key, { endsAt: now + this.opts.intervalMs, pending: undefined });
    if (!this.timer) this.arm(now);
  }

  private arm(now: number): void {
    const first = this.windows.values().next();
    if (first.done) return;
    this.timer = setTimeout(this.fire, Math.max(0, first.value.endsAt - now));
    // Pending quotes are worth nothing at exit: the timer must not hold the process open.
    this.timer.unref();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.now();
    const due: ConflatedUpdate[] = [];
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
    if (due.length > 0) this.opts.emit(due);
  };
}
