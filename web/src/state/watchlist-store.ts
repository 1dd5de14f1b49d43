import type { Watchlist } from '@tickstream/contracts';
import { isValidSymbol } from '@tickstream/contracts';
import type { ApiClient } from '../api/client';
import { Observable } from './observable';

export interface WatchlistState {
  lists: Watchlist[];
  selectedId: string | null;
  symbol: string | null;
  loaded: boolean;
}

/** Same rule as the gateway, so most typos are caught before a round trip. */
export function checkSymbol(input: string): string | null {
  const s = input.trim().toUpperCase();
  if (!s) return 'Type a ticker symbol, e.g. AAPL.';
  if (!isValidSymbol(s))
    return `"${input.trim()}" is not a ticker symbol: a letter, then up to 9 letters, digits or single dots.`;
  return null;
}

/**
 * The user's watchlists and what is selected. Operations throw the API's error so the form
 * that asked can show it next to the field.
 */
export class WatchlistStore extends Observable<WatchlistState> {
  constructor(private readonly api: ApiClient) {
    super({ lists: [], selectedId: null, symbol: null, loaded: false });
  }

  get selected(): Watchlist | null {
    return this.current.lists.find((l) => l.id === this.current.selectedId) ?? null;
  }

  async load(): Promise<void> {
    const lists = await this.api.watchlists();
    const keep = lists.some((l) => l.id === this.current.selectedId);
    this.set({ lists, loaded: true, selectedId: keep ? this.current.selectedId : (lists[0]?.id ?? null) });
    this.fixSymbol();
  }

  select(id: string): void {
    this.set({ selectedId: id });
    this.fixSymbol();
  }

  selectSymbol(symbol: string): void {
    this.set({ symbol });
  }

  async create(name: string, symbols: string[] = []): Promise<void> {
    const list = await this.api.createWatchlist(name.trim(), symbols);
    this.set({ lists: [...this.current.lists, list], selectedId: list.id });
    this.fixSymbol();
  }

  async rename(id: string, name: string): Promise<void> {
    this.replace(await this.api.renameWatchlist(id, name.trim()));
  }

  async remove(id: string): Promise<void> {
    await this.api.deleteWatchlist(id);
    const lists = this.current.lists.filter((l) => l.id !== id);
    this.set({
      lists,
      selectedId: this.current.selectedId === id ? (lists[0]?.id ?? null) : this.current.selectedId,
    });
    this.fixSymbol();
  }

  async addSymbol(id: string, symbol: string): Promise<void> {
    const s = symbol.trim().toUpperCase();
    this.replace(await this.api.addSymbol(id, s));
    this.set({ symbol: s });
  }

  async removeSymbol(id: string, symbol: string): Promise<void> {
    this.replace(await this.api.removeSymbol(id, symbol));
    this.fixSymbol();
  }

  /** Moves a symbol by `delta` places; the whole order is sent, so the server keeps it as shown. */
  async move(id: string, symbol: string, delta: number): Promise<void> {
    const list = this.current.lists.find((l) => l.id === id);
    if (!list) return;
    const from = list.symbols.indexOf(symbol);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= list.symbols.length) return;
    const symbols = [...list.symbols];
    symbols.splice(to, 0, ...symbols.splice(from, 1));
    this.replace({ ...list, symbols });
    try {
      this.replace(await this.api.setSymbols(id, symbols));
    } catch (err) {
      this.replace(list);
      throw err;
    }
  }

  private replace(list: Watchlist): void {
    this.set({ lists: this.current.lists.map((l) => (l.id === list.id ? list : l)) });
  }

  private fixSymbol(): void {
    const symbols = this.selected?.symbols ?? [];
    if (!this.current.symbol || !symbols.includes(this.current.symbol))
      this.set({ symbol: symbols[0] ?? null });
  }
}
