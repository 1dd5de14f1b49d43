import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type {
  BrokerKind,
  OrderCommand,
  OrderTerms,
  OrderType,
  Side,
  TimeInForce,
} from '@tickstream/contracts';
import type { Logger } from '@tickstream/platform';
import { prom } from '@tickstream/platform';
import { ConflictError, DependencyUnavailableError } from '../request';
import { settleWithin } from './deadline';
import { decidePlacement } from './placement';
import type { Reservations } from './reservations';
import type { PlaceSteps } from './steps';
import type { OrdersApi } from './service-client';

/** Sends one command to orders.commands.v1 (key = account id); resolves once Kafka acknowledged it. */
export type PublishCommand = (cmd: OrderCommand) => Promise<void>;

/** The default of ORDER_SEND_TIMEOUT_MS: the longest POST /api/orders waits before answering. */
export const DEFAULT_SEND_TIMEOUT_MS = 3000;

/** Who places: the account, and the broker it trades with now (the command names it). */
export interface Placer {
  accountId: string;
  broker: BrokerKind;
}

export interface PlaceRequest {
  /** The client's id of the order; undefined when it sent none (one is made up then). */
  clientOrderId?: string;
  symbol: string;
  side: Side;
  qty: number;
  type: OrderType;
  timeInForce: TimeInForce;
  limitPrice?: number;
  stopPrice?: number;
}

export interface PlaceAnswer {
  status: 200 | 202;
  body: { order_id: string; client_order_id: string; command_id: string; duplicate?: true };
}

export interface OrderSenderDeps {
  /** The order service: whether a client order id already names an order. */
  orders: OrdersApi;
  reservations: Reservations;
  /** Absent (tests of other routes): placing and canceling answer 503 ORDERS_UNAVAILABLE. */
  publishCommand?: PublishCommand;
  /** Each request is answered within about this long. */
  sendTimeoutMs: number;
  log: Logger;
  metrics?: prom.Registry;
  steps?: PlaceSteps;
}

export interface OrderSender {
  /** Places an order: 202 once Kafka acknowledged its command, 200 when the id's order is known. */
  place(placer: Placer, request: PlaceRequest): Promise<PlaceAnswer>;
  /** Publishes `command` (a CANCEL) within the send timeout, or throws ORDERS_UNAVAILABLE. */
  send(command: OrderCommand): Promise<void>;
}

// Every 503 of placing means "not known to be placed": the command may have been written even
// though Kafka's acknowledgement did not come in time. A retry with the same client_order_id
// republishes the same command, which the order service makes at most one order of.
const UNKNOWN =
  'the order could not be confirmed in time; retry with the same client_order_id (it is never placed twice)';

const termsText = (t: OrderTerms) =>
  [t.side, t.qty, t.symbol, t.order_type, t.limit_price ?? '', t.stop_price ?? '', t.time_in_force]
    .filter((x) => x !== '')
    .join(' ');

export function createOrderSender(deps: OrderSenderDeps): OrderSender {
  const { orders, reservations, log } = deps;
  const outcomes = deps.metrics
    ? new prom.Counter({
        name: 'gateway_order_commands_total',
        help: 'Order commands by action and outcome of their publication (late_* came after the 503)',
        labelNames: ['action', 'outcome'] as const,
        registers: [deps.metrics],
      })
    : undefined;
  const count = (cmd: OrderCommand, outcome: string) => outcomes?.inc({ action: cmd.action, outcome });

  /**
   * Publishes within the deadline. Never starts a send after it: what has not been sent by then
   * is not sent. A send still running at the deadline goes on; if Kafka acknowledges it later,
   * `onAck` records that (the 503 already answered said "retry", and the retry finds it sent).
   */
  async function publishBy(
    command: OrderCommand,
    deadline: number,
    onAck: () => Promise<void>,
  ): Promise<void> {
    const remaining = deadline - Date.now();
    if (!deps.publishCommand || remaining <= 0) {
      count(command, 'not_sent');
      throw new DependencyUnavailableError(
        'ORDERS_UNAVAILABLE',
        UNKNOWN,
        new Error(deps.publishCommand ? 'no time left to send' : 'no command publisher configured'),
      );
    }
    const acked = async () => {
      await onAck().catch((err: unknown) =>
        log.warn({ err, orderId: command.order_id }, 'could not record an acknowledged order command'),
      );
    };
    const sending = deps.publishCommand(command);
    const settled = await settleWithin(sending, remaining);
    if (settled.kind === 'done') {
      count(command, 'acknowledged');
      void acked();
      return;
    }
    if (settled.kind === 'timedOut') {
      count(command, 'timed_out');
      sending.then(
        () => {
          count(command, 'late_acknowledged');
          log.warn(
            { orderId: command.order_id, action: command.action },
            'order command acknowledged after its 503',
          );
          void acked();
        },
        (err: unknown) => {
          count(command, 'late_failed');
          log.warn({ err, orderId: command.order_id }, 'order command failed after its 503');
        },
      );
    } else count(command, 'failed');
    throw new DependencyUnavailableError(
      'ORDERS_UNAVAILABLE',
      UNKNOWN,
      settled.kind === 'failed' ? settled.error : new Error(`no acknowledgement within ${remaining} ms`),
    );
  }

  /**
   * The order's row or reservation, reserving the id for a new command when it has neither. Only
   * an id the client chose can name an order made earlier (one whose reservation has expired), so
   * only then is the order service asked: an id made up for this request names nothing yet. The
   * question and the claim go out at once (each a round trip to another process); the row, when
   * there is one, decides. A claim made meanwhile stays pending and unsent under a new order id:
   * every later request with this id asks the order service first and finds the row (rows are
   * kept), so that reservation is never sent. If the question fails, the 503 asks for a retry
   * with the same id, which sends the reserved command, as after any 503 once an id is claimed.
   */
  async function lookup(placer: Placer, r: PlaceRequest, clientOrderId: string) {
    const candidate: OrderCommand = {
      command_id: randomUUID(),
      action: 'PLACE',
      account_id: placer.accountId,
      order_id: randomUUID(),
      client_order_id: clientOrderId,
      symbol: r.symbol,
      side: r.side,
      qty: r.qty,
      order_type: r.type,
      time_in_force: r.timeInForce,
      limit_price: r.limitPrice ?? null,
      stop_price: r.stopPrice ?? null,
      broker: placer.broker,
      issued_at: Date.now(),
    };
    // Settled into a value: with a row, a failed claim (Redis away) does not matter.
    const claimed = reservations.claim(candidate).then(
      (reservation) => ({ reservation }),
      (error: unknown) => ({ error }),
    );
    const row =
      r.clientOrderId === undefined
        ? undefined
        : await orders.orderByClientId(placer.accountId, clientOrderId);
    if (row) return decidePlacement({ candidate, row });
    const claim = await claimed;
    if ('error' in claim) throw claim.error;
    return decidePlacement({ candidate, reservation: claim.reservation });
  }

  return {
    async place(placer, r) {
      const deadline = Date.now() + deps.sendTimeoutMs;
      const clientOrderId = r.clientOrderId ?? randomUUID();
      const lookupStart = performance.now();
      const found = await settleWithin(lookup(placer, r, clientOrderId), deadline - Date.now());
      deps.steps?.observe('lookup', lookupStart);
      if (found.kind === 'failed') throw found.error;
      if (found.kind === 'timedOut')
        // Nothing was sent. A reservation the lookup may still make is pending: a retry sends it.
        throw new DependencyUnavailableError('ORDERS_UNAVAILABLE', UNKNOWN, new Error('lookup timed out'));
      const decision = found.value;
      if (decision.kind === 'conflict')
        throw new ConflictError(
          'CLIENT_ORDER_ID_REUSED',
          `client_order_id ${clientOrderId} already names another order (${termsText(decision.existing)}); ` +
            'send a new client_order_id for a new order',
        );
      if (decision.kind === 'known')
        return {
          status: 200,
          body: {
            order_id: decision.orderId,
            client_order_id: clientOrderId,
            command_id: decision.commandId,
            duplicate: true,
          },
        };
      const { command } = decision;
      const publishStart = performance.now();
      await publishBy(command, deadline, () => reservations.markSent(command));
      deps.steps?.observe('publish', publishStart);
      return {
        status: 202,
        body: {
          order_id: command.order_id,
          client_order_id: clientOrderId,
          command_id: command.command_id,
        },
      };
    },

    send: (command) => publishBy(command, Date.now() + deps.sendTimeoutMs, async () => {}),
  };
}
