import { randomUUID } from 'node:crypto';
import type { FakeTradeUpdate, FakeTradingOrder } from './trading-types';
import { ALPACA_CODES } from './trading-types';

/** An answer of the trading API that is not 2xx, in Alpaca's error shape. */
export class FakeTradingRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

interface Position {
  qty: number;
  cost: number;
}

export interface FakeTradingAccount {
  readonly key: string;
  cash: number;
  readonly orders: FakeTradingOrder[];
  readonly positions: Map<string, Position>;
}

export const OPEN_ALPACA_STATUSES = new Set(['accepted', 'new', 'partially_filled', 'pending_new']);
const TYPES = new Set(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']);
const TIFS = new Set(['day', 'gtc', 'opg', 'cls', 'ioc', 'fok']);
export const money = (n: number) => String(Math.round(n * 1e4) / 1e4);
const iso = () => new Date().toISOString();

/**
 * The state of the trading fake: one paper account per API key, its orders and positions, and
 * the rules Alpaca applies on submission (validation, unique client_order_id, buying power at
 * one times cash). Orders never fill by themselves: a test fills them through the control API.
 */
export class FakeTradingBook {
  private readonly accounts = new Map<string, FakeTradingAccount>();
  private readonly prices = new Map<string, number>();

  constructor(
    private readonly startingCash: number,
    private readonly emit: (account: string, update: FakeTradeUpdate) => void,
  ) {}

  account(key: string): FakeTradingAccount {
    let a = this.accounts.get(key);
    if (!a) {
      a = { key, cash: this.startingCash, orders: [], positions: new Map() };
      this.accounts.set(key, a);
    }
    return a;
  }

  /** The price a market order is valued at for buying power, and the default fill price. */
  setPrice(symbol: string, price: number): void {
    this.prices.set(symbol, price);
  }

  priceOf(symbol: string): number {
    return this.prices.get(symbol) ?? 100;
  }

  /** Cash less what open buy orders would still cost (paper accounts here are cash accounts). */
  buyingPower(a: FakeTradingAccount): number {
    const reserved = a.orders
      .filter((o) => o.side === 'buy' && OPEN_ALPACA_STATUSES.has(o.status))
      .reduce(
        (sum, o) =>
          sum + (Number(o.qty) - Number(o.filled_qty)) * Number(o.limit_price ?? this.priceOf(o.symbol)),
        0,
      );
    return a.cash - reserved;
  }

  submit(a: FakeTradingAccount, body: Record<string, unknown>): FakeTradingOrder {
    const invalid = (message: string) => new FakeTradingRefusal(422, ALPACA_CODES.validation, message);
    const str = (k: string) => (body[k] === undefined || body[k] === null ? null : String(body[k]));
    const symbol = str('symbol');
    const qty = Number(str('qty'));
    const type = str('type') ?? '';
    const side = str('side');
    const tif = str('time_in_force') ?? '';
    const clientOrderId = str('client_order_id') ?? randomUUID();
    if (!symbol) throw invalid('symbol is required');
    if (!(qty > 0)) throw invalid('qty must be > 0');
    if (side !== 'buy' && side !== 'sell') throw invalid('invalid side');
    if (!TYPES.has(type)) throw invalid('invalid order type');
    if (!TIFS.has(tif)) throw invalid('invalid time_in_force');
    if ((type === 'limit' || type === 'stop_limit') && str('limit_price') === null)
      throw invalid('limit_price is required');
    if ((type === 'stop' || type === 'stop_limit') && str('stop_price') === null)
      throw invalid('stop_price is required');
    if (clientOrderId.length > 128) throw invalid('client_order_id must be no more than 128 characters');
    if (a.orders.some((o) => o.client_order_id === clientOrderId))
      throw invalid('client_order_id must be unique');
    const price = Number(str('limit_price') ?? this.priceOf(symbol));
    if (side === 'buy' && qty * price > this.buyingPower(a)) {
      throw new FakeTradingRefusal(403, ALPACA_CODES.forbidden, 'insufficient buying power');
    }
    const now = iso();
    const order: FakeTradingOrder = {
      id: randomUUID(),
      client_order_id: clientOrderId,
      created_at: now,
      updated_at: now,
      submitted_at: now,
      filled_at: null,
      expired_at: null,
      canceled_at: null,
      failed_at: null,
      asset_class: 'us_equity',
      symbol,
      notional: null,
      qty: str('qty'),
      filled_qty: '0',
      filled_avg_price: null,
      order_class: '',
      order_type: type,
      type,
      side,
      time_in_force: tif,
      limit_price: str('limit_price'),
      stop_price: str('stop_price'),
      status: 'accepted',
      extended_hours: body.extended_hours === true,
    };
    a.orders.push(order);
    // Paper answers "accepted" and reports the order working on the stream right after.
    setImmediate(() => {
      if (order.status !== 'accepted') return;
      order.status = 'new';
      this.emit(a.key, { event: 'new', order: { ...order }, timestamp: iso() });
    });
    return order;
  }

  find(idOrClientId: string): { account: FakeTradingAccount; order: FakeTradingOrder } | undefined {
    for (const account of this.accounts.values()) {
      const order = account.orders.find((o) => o.id === idOrClientId || o.client_order_id === idOrClientId);
      if (order) return { account, order };
    }
    return undefined;
  }

  /**
   * Executes `qty` (default: all that remains) at `price` (default: the symbol's price); `lost`
   * executes without a stream update, as if the message never reached the client.
   */
  fill(idOrClientId: string, opts: { qty?: number; price?: number; lost?: boolean } = {}): FakeTradeUpdate {
    const { account, order } = this.mustFind(idOrClientId);
    if (!OPEN_ALPACA_STATUSES.has(order.status))
      throw new Error(`fake Alpaca: order ${order.id} is ${order.status}, not fillable`);
    const remaining = Number(order.qty) - Number(order.filled_qty);
    const qty = opts.qty ?? remaining;
    const price = opts.price ?? this.priceOf(order.symbol);
    if (qty <= 0 || qty > remaining) throw new Error(`fake Alpaca: cannot fill ${qty} of ${remaining}`);
    const filled = Number(order.filled_qty) + qty;
    order.filled_avg_price = money(
      (Number(order.filled_avg_price ?? 0) * Number(order.filled_qty) + qty * price) / filled,
    );
    order.filled_qty = String(filled);
    order.status = filled >= Number(order.qty) ? 'filled' : 'partially_filled';
    order.updated_at = iso();
    if (order.status === 'filled') order.filled_at = order.updated_at;
    const signed = order.side === 'buy' ? qty : -qty;
    const pos = account.positions.get(order.symbol) ?? { qty: 0, cost: 0 };
    pos.cost += signed * price;
    pos.qty += signed;
    account.positions.set(order.symbol, pos);
    account.cash -= signed * price;
    const update: FakeTradeUpdate = {
      event: order.status === 'filled' ? 'fill' : 'partial_fill',
      execution_id: randomUUID(),
      order: { ...order },
      timestamp: order.updated_at,
      price: money(price),
      qty: String(qty),
      position_qty: String(pos.qty),
    };
    if (!opts.lost) this.emit(account.key, update);
    return update;
  }

  /** Ends an open order as canceled, expired or rejected and reports it on the stream. */
  finish(idOrClientId: string, event: 'canceled' | 'expired' | 'rejected'): FakeTradeUpdate {
    const { account, order } = this.mustFind(idOrClientId);
    if (!OPEN_ALPACA_STATUSES.has(order.status))
      throw new FakeTradingRefusal(422, ALPACA_CODES.notCancelable, 'order is not cancelable');
    order.status = event;
    order.updated_at = iso();
    if (event === 'canceled') order.canceled_at = order.updated_at;
    if (event === 'expired') order.expired_at = order.updated_at;
    if (event === 'rejected') order.failed_at = order.updated_at;
    const update: FakeTradeUpdate = { event, order: { ...order }, timestamp: order.updated_at };
    this.emit(account.key, update);
    return update;
  }

  private mustFind(idOrClientId: string): { account: FakeTradingAccount; order: FakeTradingOrder } {
    const found = this.find(idOrClientId);
    if (!found) throw new FakeTradingRefusal(404, ALPACA_CODES.notFound, 'order not found');
    return found;
  }
}
