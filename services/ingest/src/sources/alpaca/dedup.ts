/**
 * Remembers the last `capacity` record keys per symbol so a replayed record is dropped.
 *
 * Alpaca does not replay after a reconnect, but a proxy, a server-side retry or our own resubscribe
 * race could; exact-duplicate suppression is the safe guarantee. A timestamp high-water mark
 * would be simpler but wrong for SIP, whose trades from different venues arrive slightly out of
 * timestamp order.
 */
export class RecentKeys {
  private readonly perSymbol = new Map<string, { set: Set<string>; ring: string[]; next: number }>();

  constructor(private readonly capacity = 4096) {}

  /** True when the key was seen recently (a duplicate); otherwise remembers it. */
  seen(symbol: string, key: string): boolean {
    let entry = this.perSymbol.get(symbol);
    if (!entry) {
      entry = { set: new Set(), ring: [], next: 0 };
      this.perSymbol.set(symbol, entry);
    }
    if (entry.set.has(key)) return true;
    if (entry.ring.length < this.capacity) {
      entry.ring.push(key);
    } else {
      const evicted = entry.ring[entry.next];
      if (evicted !== undefined) entry.set.delete(evicted);
      entry.ring[entry.next] = key;
      entry.next = (entry.next + 1) % this.capacity;
    }
    entry.set.add(key);
    return false;
  }

  forget(symbol: string): void {
    this.perSymbol.delete(symbol);
  }
}
