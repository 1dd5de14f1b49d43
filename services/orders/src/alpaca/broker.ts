import type { Logger } from '@tickstream/platform';
import { TickstreamError } from '@tickstream/platform';
import type { Rejection, ValidOrder } from '../domain';
import type { ExternalBroker, Ledger } from '../execution';
import type { OrderRow } from '../store';
import { OPEN_STATUSES, stateOf } from '../store';
import type { AlpacaOrder } from './client';
import { AlpacaError, AlpacaTradingClient } from './client';
import { loadAlpacaKeys } from './credentials';
import { TradeUpdatesStream } from './stream';
import { applyAlpacaState } from './updates';

interface Session {
  client: AlpacaTradingClient;
  stream: TradeUpdatesStream;
}

export interface AlpacaBrokerOptions {
  ledger: Ledger;
  masterKey: Buffer;
  tradingUrl: string;
  streamUrl: string;
  log: Logger;
  onFill?: (issuedAt: number) => void;
}

/**
 * Executes ALPACA accounts' orders on Alpaca's trading API with the account's own keys, and
 * follows each such account's trade_updates stream for fills. Our order id is Alpaca's
 * client_order_id, so a resubmission after a crash is recognised and every update maps back.
 */
export class AlpacaBroker implements ExternalBroker {
  private readonly sessions = new Map<string, Promise<Session>>();

  constructor(private readonly opts: AlpacaBrokerOptions) {}

  async readiness(accountId: string): Promise<Rejection | null> {
    try {
      await this.session(accountId);
      return null;
    } catch (err) {
      if (err instanceof TickstreamError) return { code: err.code, message: err.message };
      return {
        code: 'BROKER_UNAVAILABLE',
        message: `Alpaca's trade updates could not be followed: ${(err as Error).message}`,
      };
    }
  }

  async submit(order: ValidOrder): Promise<void> {
    const { client } = await this.session(order.accountId);
    let placed: AlpacaOrder | null;
    try {
      placed = await client.submit(order);
    } catch (err) {
      if (!(err instanceof AlpacaError)) throw err;
      // Did it arrive anyway (timeout, 5xx, or a resubmission Alpaca refuses as a duplicate)?
      placed =
        err.uncertain || err.status === 422
          ? await client.byClientOrderId(order.orderId).catch(() => null)
          : null;
      if (!placed) {
        await this.reject(order.accountId, order.orderId, err.code, err.message);
        return;
      }
    }
    await applyAlpacaState(this.opts.ledger, order.accountId, placed, { event: 'new' }, this.opts.onFill);
  }

  async cancel(row: OrderRow, _reasonCode: string, _reason: string): Promise<void> {
    const { client } = await this.session(row.account_id);
    await client.cancel(row.broker_order_id ?? row.order_id).catch((err: unknown) => {
      // 422: no longer cancelable (filled meanwhile); the stream reports what happened.
      this.opts.log.warn({ orderId: row.order_id, err: (err as Error).message }, 'Alpaca cancel refused');
    });
  }

  /** Opens the streams of accounts with working Alpaca orders; each reconciles on connect. */
  async start(): Promise<void> {
    const rows = await this.opts.ledger.openOrders({ broker: 'ALPACA' });
    for (const accountId of new Set(rows.map((r) => r.account_id))) {
      await this.session(accountId).catch((err: unknown) =>
        this.opts.log.warn({ accountId, err: (err as Error).message }, 'Alpaca session failed to start'),
      );
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sessions.values()) (await s.catch(() => undefined))?.stream.close();
    this.sessions.clear();
  }

  private async reject(accountId: string, orderId: string, code: string, message: string): Promise<void> {
    await this.opts.ledger.inAccount(accountId, async (tx) => {
      const row = await tx.order(orderId);
      if (row?.status !== 'ACCEPTED') return;
      await tx.record(stateOf(row), { type: 'REJECTED', reasonCode: code, reason: message });
    });
  }

  private session(accountId: string): Promise<Session> {
    let s = this.sessions.get(accountId);
    if (!s) {
      s = this.openSession(accountId);
      this.sessions.set(accountId, s);
      s.catch(() => this.sessions.delete(accountId));
    }
    return s;
  }

  private async openSession(accountId: string): Promise<Session> {
    const keys = await loadAlpacaKeys(this.opts.ledger.db, this.opts.masterKey, accountId);
    if (!keys)
      throw new TickstreamError(
        'BROKER_KEYS_MISSING',
        'your account trades through Alpaca but has no Alpaca keys stored',
      );
    const client = new AlpacaTradingClient(this.opts.tradingUrl, keys);
    const { ledger, onFill } = this.opts;
    const stream = new TradeUpdatesStream({
      url: this.opts.streamUrl,
      keys,
      log: this.opts.log,
      onUpdate: async (u) => applyAlpacaState(ledger, accountId, u.order, u, onFill),
      onConnected: async () => {
        const open = (await ledger.openOrders({ broker: 'ALPACA' })).filter(
          (r) => r.account_id === accountId && OPEN_STATUSES.includes(r.status),
        );
        for (const r of open) {
          const current = await client.byClientOrderId(r.order_id);
          if (current) await applyAlpacaState(ledger, accountId, current, { event: current.status }, onFill);
        }
      },
    });
    await stream.connect();
    return { client, stream };
  }
}
