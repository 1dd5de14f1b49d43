import type { AccountSummary, OrderEvent, OrderView, PositionView, RiskLimits } from '@tickstream/contracts';
import type { ApiClient } from '../api/client';
import { describeError } from '../api/errors';
import type { StreamSocket } from '../stream/market-stream';
import { fmtPrice, toNumber } from '../format';
import type { Numeric } from '../format';
import { readLimits } from '../trading/limits';
import { describeRejection } from '../trading/rejections';
import { Observable } from './observable';

export interface Notice {
  id: number;
  tone: 'ok' | 'warn' | 'error' | 'info';
  text: string;
  at: number;
}

export interface TradingState {
  orders: OrderView[];
  positions: PositionView[];
  account: AccountSummary | null;
  /** The account's effective risk limits; null until loaded (the order service still applies them). */
  limits: RiskLimits | null;
  /** Why the last refresh of each part failed, shown above its table. */
  errors: { orders: string | null; positions: string | null; account: string | null };
  loaded: boolean;
  notices: Notice[];
}

/** Notices on screen at once; a fourth pushes the oldest out. */
export const MAX_NOTICES = 3;
/** How long a notice stays by tone; errors stay until dismissed (still at most MAX_NOTICES). */
export const NOTICE_MS: Record<Notice['tone'], number | null> = {
  ok: 5000,
  info: 5000,
  warn: 10000,
  error: null,
};

const OPEN = new Set(['ACCEPTED', 'NEW', 'PARTIALLY_FILLED']);
export const isOpen = (o: OrderView) => OPEN.has(o.status);

function money(n: Numeric): string {
  return toNumber(n) === null ? '' : ` @ ${fmtPrice(n)}`;
}

/** A sentence for each order event a trader wants to hear about; null for the routine ones. */
export function describeOrderEvent(e: OrderEvent): { tone: Notice['tone']; text: string } | null {
  const what = `${e.side ?? ''} ${e.qty} ${e.symbol ?? ''}`.trim();
  switch (e.type) {
    case 'REJECTED':
      return {
        tone: 'error',
        text: `Order rejected (${what}): ${describeRejection(e.reason_code, e.reason)}`,
      };
    case 'FILLED':
      return { tone: 'ok', text: `Filled: ${what}${money(e.avg_fill_price)}` };
    case 'PARTIALLY_FILLED':
      return { tone: 'info', text: `Partly filled: ${e.filled_qty} of ${what}${money(e.last_fill_price)}` };
    case 'CANCELED':
      return {
        tone: 'warn',
        text: `Canceled: ${what}${e.reason || e.reason_code ? `. ${describeRejection(e.reason_code, e.reason)}` : ''}`,
      };
    case 'EXPIRED':
      return { tone: 'warn', text: `Expired: ${what}` };
    default:
      return null;
  }
}

/**
 * Orders, positions and the account, refreshed from the API when an order event arrives (the
 * event says something changed; the API says what the books now hold).
 */
export class TradingStore extends Observable<TradingState> {
  private seq = 0;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private readonly fades = new Map<number, ReturnType<typeof setTimeout>>();

  constructor(private readonly api: ApiClient) {
    super({
      orders: [],
      positions: [],
      account: null,
      limits: null,
      errors: { orders: null, positions: null, account: null },
      loaded: false,
      notices: [],
    });
  }

  attach(socket: StreamSocket): void {
    socket.on('order_event', (e) => {
      const said = describeOrderEvent(e);
      if (said) this.announce(said.tone, said.text);
      this.patchOrder(e);
      this.refreshSoon();
    });
  }

  /** Shows a notice (newest first); successes fade by themselves, at most MAX_NOTICES at once. */
  announce(tone: Notice['tone'], text: string): void {
    const notice = { id: ++this.seq, tone, text, at: Date.now() };
    const all = [notice, ...this.current.notices];
    for (const old of all.slice(MAX_NOTICES)) this.forget(old.id);
    this.set({ notices: all.slice(0, MAX_NOTICES) });
    const keep = NOTICE_MS[tone];
    if (keep !== null)
      this.fades.set(
        notice.id,
        setTimeout(() => this.dismiss(notice.id), keep),
      );
  }

  dismiss(id: number): void {
    this.forget(id);
    if (this.current.notices.some((n) => n.id === id))
      this.set({ notices: this.current.notices.filter((n) => n.id !== id) });
  }

  private forget(id: number): void {
    clearTimeout(this.fades.get(id));
    this.fades.delete(id);
  }

  async refresh(): Promise<void> {
    const [orders, positions, account, limits] = await Promise.allSettled([
      this.api.orders(),
      this.api.positions(),
      this.api.account(),
      this.api.riskLimits(),
    ]);
    const reason = (r: PromiseSettledResult<unknown>) =>
      r.status === 'rejected' ? describeError(r.reason) : null;
    this.set({
      orders: orders.status === 'fulfilled' ? orders.value : this.current.orders,
      positions: positions.status === 'fulfilled' ? positions.value : this.current.positions,
      account: account.status === 'fulfilled' ? account.value : this.current.account,
      limits: limits.status === 'fulfilled' ? readLimits(limits.value.limits) : this.current.limits,
      errors: { orders: reason(orders), positions: reason(positions), account: reason(account) },
      loaded: true,
    });
  }

  /** Bursts of events (accepted, new, filled) become one refresh. */
  refreshSoon(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.refresh(), 150);
  }

  async cancel(orderId: string): Promise<void> {
    try {
      await this.api.cancelOrder(orderId);
      this.announce('info', 'Cancel requested.');
    } catch (err) {
      this.announce('error', `Cancel failed: ${describeError(err)}`);
    }
    this.refreshSoon();
  }

  /** Shows the event at once, before the refresh confirms it. */
  private patchOrder(e: OrderEvent): void {
    const orders = this.current.orders;
    const i = orders.findIndex((o) => o.orderId === e.order_id);
    if (i < 0) return;
    const next = [...orders];
    const o = orders[i]!;
    next[i] = {
      ...o,
      status: e.type,
      filledQty: e.filled_qty,
      avgFillPrice: e.avg_fill_price,
      reasonCode: e.reason_code ?? o.reasonCode,
      reason: e.reason ?? o.reason,
      updatedAt: new Date(e.event_time).toISOString(),
    };
    this.set({ orders: next });
  }
}
