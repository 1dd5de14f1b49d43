import type { SubscribeAck } from '@tickstream/contracts';
import { isValidSymbol } from '@tickstream/contracts';

const ROOM_PREFIX = 'sym:';

export const symbolRoom = (symbol: string) => `${ROOM_PREFIX}${symbol}`;

export function refuse(code: string, message: string, retryAfterSec?: number): SubscribeAck {
  return {
    ok: false,
    error: retryAfterSec === undefined ? { code, message } : { code, message, retryAfterSec },
  };
}

/** The symbols a socket streams, from its rooms (the rooms are what the broadcaster emits to). */
export function subscribedSymbols(rooms: ReadonlySet<string>): string[] {
  return [...rooms]
    .filter((r) => r.startsWith(ROOM_PREFIX))
    .map((r) => r.slice(ROOM_PREFIX.length))
    .sort();
}

/** 1 to `max` distinct ticker symbols, upper-cased, or the refusal to answer with. */
export function parseSymbols(input: unknown, max: number): string[] | SubscribeAck {
  if (!Array.isArray(input) || input.length === 0 || input.length > max) {
    return refuse('INVALID_SYMBOLS', `send an array of 1 to ${max} ticker symbols`);
  }
  const symbols = input.map((s) => (typeof s === 'string' ? s.trim().toUpperCase() : ''));
  const bad = symbols.filter((s) => !isValidSymbol(s));
  if (bad.length > 0)
    return refuse('INVALID_SYMBOLS', `not ticker symbols: ${bad.slice(0, 3).map(quoteCut).join(', ')}`);
  return [...new Set(symbols)];
}

// A refused value is quoted back to help the client, but never in full: the answer must not grow
// with what the client sent.
const QUOTED_CHARS = 12;
const quoteCut = (s: string) => JSON.stringify(s.length > QUOTED_CHARS ? `${s.slice(0, QUOTED_CHARS)}…` : s);

/**
 * Socket.IO hands a handler its arguments as sent: a client that emits `subscribe` with only a
 * callback gives the callback as the first argument and no second one. Returns the payload and
 * the ack, wherever the ack came.
 */
export function payloadAndAck<A extends (...args: never[]) => void>(
  input: unknown,
  ack: unknown,
): { input: unknown; ack: A | undefined } {
  if (typeof ack === 'function') return { input, ack: ack as A };
  if (typeof input === 'function') return { input: undefined, ack: input as A };
  return { input, ack: undefined };
}

/**
 * One socket's view of its user's watchlists. The lookup is made once and cached; `invalidate`
 * (a watchlist of the user changed, on any replica) drops it. A symbol the cache refuses is
 * checked once more against a fresh lookup, so a symbol added a moment ago through another
 * replica, whose change message has not arrived yet, is not refused.
 */
export class WatchlistView {
  private allowed: Promise<ReadonlySet<string>> | undefined;
  private generation = 0;

  constructor(private readonly lookup: () => Promise<ReadonlySet<string>>) {}

  invalidate(): void {
    this.allowed = undefined;
    this.generation++;
  }

  /** The symbols of `wanted` that are on none of the user's watchlists. */
  async denied(wanted: readonly string[]): Promise<string[]> {
    for (let confirmed = false; ;) {
      const generation = this.generation;
      const fresh = this.allowed === undefined;
      const allowed = await this.load();
      // Invalidated while the lookup ran: it may predate the change, so look again.
      if (generation !== this.generation) continue;
      const missing = wanted.filter((s) => !allowed.has(s));
      if (missing.length === 0 || fresh || confirmed) return missing;
      confirmed = true;
      this.invalidate();
    }
  }

  private load(): Promise<ReadonlySet<string>> {
    if (this.allowed) return this.allowed;
    const pending = this.lookup();
    this.allowed = pending;
    // A failed lookup is not cached: the next subscribe tries again.
    pending.catch(() => {
      if (this.allowed === pending) this.allowed = undefined;
    });
    return pending;
  }
}

/**
 * Runs a socket's subscribes and unsubscribes one after another, in the order they arrived:
 * a subscribe waiting for its watchlist lookup must not be overtaken by a later unsubscribe.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  /** `task` answers its own errors (through the ack); one that throws does not stop the queue. */
  run(task: () => Promise<void>): void {
    this.tail = this.tail.then(task).catch(() => undefined);
  }
}
