import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { OrderEvent } from '@tickstream/contracts';
import { createDatabase, ensureDatabase, migrate } from '@tickstream/platform';
import { ORDERS_MIGRATIONS } from '../../src/db';
import { initialOrderState } from '../../src/domain';
import { Ledger } from '../../src/execution/ledger';
import type { OutboxPublisher } from '../../src/store';
import { silentLog } from '../../../../test/support/kafka';
import { placeCommand } from '../../../../test/support/order-commands';
import { ORDERS_TEST_DB } from '../harness';

// A fill's position and the day's P&L are kept in the transaction and written with its other
// rows: these show what a fill reads and what ends up stored, against the real Postgres.

let db: Knex;
const published: OrderEvent[] = [];
const outbox = {
  committed: (rows: { payload: OrderEvent }[]) => published.push(...rows.map((r) => r.payload)),
} as unknown as OutboxPublisher;
const SCOPE = `ledger-test-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  await ensureDatabase(ORDERS_TEST_DB);
  db = createDatabase(ORDERS_TEST_DB, { max: 2 });
  await migrate(db, ORDERS_MIGRATIONS);
});

afterAll(async () => {
  await db('outbox').where({ topic_id: SCOPE }).delete();
  await db.destroy();
});

function ledger(): Ledger {
  return new Ledger({
    db,
    outbox,
    log: silentLog,
    now: Date.now,
    controlsId: `t-${randomUUID().slice(0, 12)}`,
    scope: SCOPE,
    eventsTopic: SCOPE,
  });
}

/** Places `cmd` and records its fills in one account transaction; answers the SQL it ran. */
async function fill(
  l: Ledger,
  cmd: ReturnType<typeof placeCommand>,
  fills: [number, number][],
  risk: boolean,
) {
  const sqls: string[] = [];
  const onQuery = (q: { sql: string; __knexTxId?: string }) => q.__knexTxId && sqls.push(q.sql);
  db.on('query', onQuery);
  try {
    await l.inAccount(cmd.account_id, async (tx) => {
      await l.insertOrExisting(tx.trx, cmd, 0);
      if (risk) await tx.riskInputs(Date.now());
      let s = await tx.record(initialOrderState(cmd), { type: 'ACCEPTED' });
      s = await tx.record(s, { type: 'NEW' });
      for (const [qty, price] of fills) s = await tx.record(s, { type: 'FILL', qty, price });
    });
  } finally {
    db.off('query', onQuery);
  }
  return sqls;
}

const positionOf = (account: string, symbol: string) =>
  db('positions').where({ account_id: account, symbol }).first('qty', 'avg_price', 'realized_pnl');

describe('Ledger: fills in an account transaction', () => {
  it('starts a second fill from the first, reads no position after the risk read and writes it once', async () => {
    const l = ledger();
    const account = randomUUID();
    const buy = placeCommand(account, { symbol: 'LDGA', qty: 10 });
    const sqls = await fill(
      l,
      buy,
      [
        [4, 10],
        [6, 11],
      ],
      true,
    );
    expect(sqls.filter((sql) => sql.includes('from "positions"'))).toEqual([]);
    expect(sqls.filter((sql) => sql.includes('insert into "positions"'))).toHaveLength(1);
    expect(await positionOf(account, 'LDGA')).toEqual({
      qty: '10',
      avg_price: '10.6000000000',
      realized_pnl: '0.00',
    });
    const last = published.filter((e) => e.order_id === buy.order_id).at(-1);
    expect(last).toMatchObject({ type: 'FILLED', position_qty: 10, position_avg_price: 10.6 });
  });

  it("reads an unknown position once, then books the sale's P&L in the position and the day", async () => {
    const l = ledger();
    const account = randomUUID();
    await fill(l, placeCommand(account, { symbol: 'LDGB', qty: 5 }), [[5, 20]], true);
    // No risk read: a fill of a resting order, as the quote feed records it.
    const sell = placeCommand(account, { symbol: 'LDGB', side: 'SELL', qty: 2 });
    const sqls = await fill(l, sell, [[2, 23]], false);
    expect(sqls.filter((sql) => sql.includes('from "positions"'))).toHaveLength(1);
    expect(await positionOf(account, 'LDGB')).toEqual({
      qty: '3',
      avg_price: '20.0000000000',
      realized_pnl: '6.00',
    });
    const day = await db('order_accounts')
      .where({ account_id: account })
      .first('realized_today', 'trading_day');
    expect(day.realized_today).toBe('6.00');
    expect(day.trading_day).not.toBeNull();
  });
});
