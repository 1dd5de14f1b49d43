import type { SymbolDemand } from '@tickstream/contracts';

/**
 * The set of symbols ingest should follow: the configured defaults plus every symbol some user
 * needs, as read from the compacted control.symbols.v1 (a tombstone or demand 0 removes it).
 */
export class SymbolDemandTable {
  private readonly demand = new Map<string, number>();

  constructor(private readonly defaults: readonly string[]) {}

  /** Applies one record; returns true when the wanted set changed. */
  apply(symbol: string, value: SymbolDemand | null): boolean {
    const before = this.has(symbol);
    if (!value || value.demand <= 0) this.demand.delete(symbol);
    else this.demand.set(symbol, value.demand);
    return before !== this.has(symbol);
  }

  private has(symbol: string): boolean {
    return this.defaults.includes(symbol) || this.demand.has(symbol);
  }

  wanted(): string[] {
    return [...new Set([...this.defaults, ...this.demand.keys()])].sort();
  }
}
