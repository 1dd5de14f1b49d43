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

/**
 * The conflation state of one symbol and kind, kept for the life of the conflator: per offered
 * update it is looked up, not allocated (at thousands of quotes a second the per-update key
 * strings and window objects were a steady share of the gateway's young-generation garbage).
 */
interface Slot {
  /** What waits to go: this turn's leading update, or the trailing one of the open interval. */
  update: ConflatedUpdate | undefined;
  /** When `update` was offered (for `held`). */
  offeredAt: number;
  /** Queued to lead at the end of this turn. */
  leading: boolean;
  /** When the open interval ends; undefined while closed. */
  endsAt: number | undefined;
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
 * Every interval has the same length and opens in time order, so the open intervals, queued in
 * the order they opened, are also in order of their ends: one timer for the earliest is all it
 * takes, and everything due when it fires goes out as one batch.
 */
export class Conflator {
  private readonly slots = { quote: new Map<string, Slot>(), trade: new Map<string, Slot>() };
  /** Slots leading at the end of this turn, in the order they were first offered. */
  private leading: Slot[] = [];
  /** Slots with an open interval, in order of their ends; those before `head` are gone. */
  private open: Slot[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: ConflatorOptions) {
    this.now = opts.now ?? (() => performance.now());
  }

  offer(update: ConflatedUpdate): void {
    const slot = this.slotOf(update);
    const waiting = slot.leading || slot.endsAt !== undefined;
    if (waiting && slot.update) this.opts.superseded(1);
    slot.update = update;
    slot.offeredAt = this.now();
    if (waiting) return;
    slot.leading = true;
    this.leading.push(slot);
    this.immediate ??= setImmediate(this.sendLeading);
  }

  /** Drops what is pending and the timers (shutdown). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.slots.quote.clear();
    this.slots.trade.clear();
    this.leading = [];
    this.open = [];
    this.head = 0;
  }

  private slotOf(update: ConflatedUpdate): Slot {
    const slots = this.slots[update.event];
    let slot = slots.get(update.record.symbol);
    if (!slot) {
      slot = { update: undefined, offeredAt: 0, leading: false, endsAt: undefined };
      slots.set(update.record.symbol, slot);
    }
    return slot;
  }

  private arm(now: number): void {
    const first = this.open[this.head];
    if (!first) return;
    this.timer = setTimeout(this.fire, Math.max(0, first.endsAt! - now));
    // Pending quotes are worth nothing at exit: the timer must not hold the process open.
    this.timer.unref();
  }

  private readonly sendLeading = (): void => {
    this.immediate = undefined;
    const now = this.now();
    const leading = this.leading;
    this.leading = [];
    const updates: ConflatedUpdate[] = [];
    // Their intervals open now, when they are sent: the latest ends, so the order holds.
    for (const slot of leading) {
      slot.leading = false;
      this.take(slot, now, updates);
      this.reopen(slot, now);
    }
    if (!this.timer) this.arm(now);
    this.opts.emit(updates);
  };

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.now();
    const due: ConflatedUpdate[] = [];
    const reopen: Slot[] = [];
    for (let slot = this.open[this.head]; slot && slot.endsAt! <= now; slot = this.open[++this.head]) {
      slot.endsAt = undefined;
      if (slot.update) {
        this.take(slot, now, due);
        reopen.push(slot);
      }
    }
    this.compact();
    // Reopened from the time they are sent, so the next one is a whole interval later even when
    // this timer ran late.
    for (const slot of reopen) this.reopen(slot, now);
    this.arm(now);
    if (due.length > 0) this.opts.emit(due);
  };

  /** Moves the slot's waiting update to `out`, telling `held` how long it waited. */
  private take(slot: Slot, now: number, out: ConflatedUpdate[]): void {
    this.opts.held?.(now - slot.offeredAt);
    out.push(slot.update!);
    slot.update = undefined;
  }

  private reopen(slot: Slot, now: number): void {
    slot.endsAt = now + this.opts.intervalMs;
    this.open.push(slot);
  }

  /** Drops the closed front of the queue once it is most of it (so a shift is not paid per slot). */
  private compact(): void {
    if (this.head < 1024 || this.head * 2 < this.open.length) return;
    this.open = this.open.slice(this.head);
    this.head = 0;
  }
}
