import { Observable } from './observable';

export interface Overlays {
  sma: boolean;
  ema: boolean;
  bollinger: boolean;
}

export type BlotterTab = 'positions' | 'open' | 'orders' | 'account';

export interface PrefsState {
  /** The last quantity sent per symbol, as typed. */
  qty: Record<string, string>;
  overlays: Overlays;
  blotterTab: BlotterTab;
}

const DEFAULTS: PrefsState = {
  qty: {},
  overlays: { sma: true, ema: false, bollinger: true },
  blotterTab: 'positions',
};
const TABS: readonly BlotterTab[] = ['positions', 'open', 'orders', 'account'];
/** Enough for any watchlist; the oldest symbols are forgotten first. */
const MAX_SYMBOLS = 200;

/** Only what is well formed survives a reload: storage may hold an older version's shape. */
function parse(raw: string | null): PrefsState {
  let v: unknown;
  try {
    v = raw ? JSON.parse(raw) : null;
  } catch {
    v = null;
  }
  if (typeof v !== 'object' || v === null) return DEFAULTS;
  const o = v as Partial<Record<keyof PrefsState, unknown>>;
  const qty: Record<string, string> = {};
  if (typeof o.qty === 'object' && o.qty !== null)
    for (const [k, q] of Object.entries(o.qty))
      if (typeof q === 'string' && /^\d*\.?\d*$/.test(q)) qty[k] = q;
  const ov = (typeof o.overlays === 'object' && o.overlays !== null ? o.overlays : {}) as Record<
    string,
    unknown
  >;
  const flag = (k: keyof Overlays) =>
    typeof ov[k] === 'boolean' ? (ov[k] as boolean) : DEFAULTS.overlays[k];
  return {
    qty,
    overlays: { sma: flag('sma'), ema: flag('ema'), bollinger: flag('bollinger') },
    blotterTab: TABS.includes(o.blotterTab as BlotterTab)
      ? (o.blotterTab as BlotterTab)
      : DEFAULTS.blotterTab,
  };
}

/**
 * The trader's choices that should survive a reload, in localStorage under the user's id (two
 * people sharing a browser keep their own). Storage that refuses writes (private mode, quota)
 * only loses the memory, never the choice on screen.
 */
export class PrefsStore extends Observable<PrefsState> {
  private readonly key: string;

  constructor(
    userId: string,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
  ) {
    const key = `tickstream.prefs.v1.${userId}`;
    let raw: string | null = null;
    try {
      raw = storage.getItem(key);
    } catch {
      // Storage disabled: start from the defaults.
    }
    super(parse(raw));
    this.key = key;
  }

  /** The quantity to start the ticket with for `symbol`: the last one sent, else empty. */
  qtyFor(symbol: string | null): string {
    return (symbol && this.current.qty[symbol]) || '';
  }

  rememberQty(symbol: string, qty: string): void {
    const rest = Object.entries(this.current.qty).filter(([s]) => s !== symbol);
    const kept = rest.slice(Math.max(0, rest.length - (MAX_SYMBOLS - 1)));
    this.update({ qty: Object.fromEntries([...kept, [symbol, qty]]) });
  }

  setOverlays(overlays: Overlays): void {
    this.update({ overlays });
  }

  setBlotterTab(blotterTab: BlotterTab): void {
    this.update({ blotterTab });
  }

  private update(patch: Partial<PrefsState>): void {
    this.set(patch);
    try {
      this.storage.setItem(this.key, JSON.stringify(this.current));
    } catch {
      // Quota or private mode: the choice holds for this page only.
    }
  }
}
