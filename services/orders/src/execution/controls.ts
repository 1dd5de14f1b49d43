import { RiskCode } from '../domain';
import { OPEN_STATUSES, readKillSwitch } from '../store';
import { cancelOpenOrder } from './cancel';
import type { CommandDeps } from './commands';

const KILL_REASON = 'canceled by the platform kill switch';

/**
 * The service's periodic work, on one timer: while the global kill switch is on, cancel every
 * open order of the partitions this instance owns (new orders are refused by the risk check,
 * which reads the switch in each order's transaction); expire DAY orders after the close; write
 * quote marks; refresh the open-orders gauge. Polling the switch rather than being told keeps
 * the gateway out of the order service's consumer groups, and sweeping on every tick while it is
 * on catches an order committed just as the switch flipped.
 */
export class Controls {
  private timer?: NodeJS.Timeout;
  private tick?: Promise<void>;
  private partitions: readonly number[] | undefined;

  constructor(
    /** What commands are handled with (ledger, brokers, quotes, metrics, log), and the tick. */
    private readonly opts: CommandDeps & { intervalMs: number },
  ) {}

  assign(partitions: readonly number[] | undefined): void {
    this.partitions = partitions;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.tick ??= this.runOnce()
        .catch((err: unknown) =>
          this.opts.log.warn({ err }, 'periodic order work failed; retrying next tick'),
        )
        .finally(() => (this.tick = undefined));
    }, this.opts.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.tick;
  }

  async runOnce(): Promise<void> {
    const { ledger, sim, quotes, metrics } = this.opts;
    if (await readKillSwitch(ledger.db, ledger.controlsId)) await this.cancelAll();
    await sim.expire(ledger.now());
    await quotes.flushMarks(ledger.db);
    const [row] = (await ledger
      .db('orders')
      .where({ scope: ledger.scope })
      .whereIn('status', OPEN_STATUSES)
      .count({ n: '*' })) as Array<{ n: string }>;
    metrics.open.set(Number(row?.n ?? 0));
  }

  private async cancelAll(): Promise<void> {
    const { ledger } = this.opts;
    for (const row of await ledger.openOrders({ partitions: this.partitions }))
      await cancelOpenOrder(this.opts, row.account_id, row.order_id, {
        reasonCode: RiskCode.KILL_SWITCH,
        reason: KILL_REASON,
      });
  }
}
