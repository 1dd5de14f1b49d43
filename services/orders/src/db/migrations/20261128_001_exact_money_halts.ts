import type { Knex } from 'knex';

// Money in exact decimal: the order service's double precision columns become numeric (pg returns
// numeric as strings, which the services read with a decimal library). Money amounts are cents,
// average prices keep 10 decimals, quantities and quoted prices keep whatever decimals they came
// with. Postgres casts a double to numeric by its 15 significant digits, so stored float noise
// (0.30000000000000004) is cleaned on the way.
//
// Also: a daily-loss halt remembers when it happened, the limit it breached and the P&L that
// breached it; risk_audit records every admin change to an account's risk controls; symbol lists
// in risk overrides are upper-cased (they were once stored as typed, and then blocked nothing).

const CENTS = 'numeric(20,2)';
const AVG_PRICE = 'numeric(30,10)';
const EXACT = 'numeric';

const COLUMNS: Record<string, Record<string, string>> = {
  order_accounts: { realized_today: CENTS },
  orders: { qty: EXACT, limit_price: EXACT, stop_price: EXACT, filled_qty: EXACT, avg_fill_price: AVG_PRICE },
  fills: { qty: EXACT, price: EXACT, realized_pnl: CENTS },
  positions: { qty: EXACT, avg_price: AVG_PRICE, realized_pnl: CENTS },
  quote_marks: { bid_price: EXACT, ask_price: EXACT },
};

function scaleOf(type: string): number | null {
  const m = /numeric\(\d+,(\d+)\)/.exec(type);
  return m ? Number(m[1]) : null;
}

export async function up(knex: Knex): Promise<void> {
  for (const [table, columns] of Object.entries(COLUMNS)) {
    const alters = Object.entries(columns).map(([column, type]) => {
      const scale = scaleOf(type);
      const using = scale === null ? `"${column}"::numeric` : `round("${column}"::numeric, ${scale})`;
      return `ALTER COLUMN "${column}" TYPE ${type} USING ${using}`;
    });
    await knex.raw(`ALTER TABLE "${table}" ${alters.join(', ')}`);
  }

  await knex.schema.alterTable('order_accounts', (t) => {
    t.timestamp('halted_at', { useTz: true });
    t.specificType('halt_limit', CENTS);
    t.specificType('halt_pnl', CENTS);
  });

  await knex.schema.createTable('risk_audit', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Kept when the admin's account is deleted; the entry goes with the account it is about.
    t.uuid('admin_id');
    t.uuid('account_id').notNullable();
    // RISK_LIMITS_CHANGED (details: before, after) or HALT_LIFTED (details: the halt lifted).
    t.string('action', 32).notNullable();
    t.text('reason');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['account_id', 'at']);
  });

  for (const list of ['allowedSymbols', 'deniedSymbols']) {
    await knex.raw(
      `UPDATE risk_limits SET limits = jsonb_set(limits, ?, (
         SELECT coalesce(jsonb_agg(DISTINCT upper(btrim(s))), '[]'::jsonb)
         FROM jsonb_array_elements_text(limits -> ?) AS s))
       WHERE jsonb_typeof(limits -> ?) = 'array'`,
      [`{${list}}`, list, list],
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('risk_audit');
  await knex.schema.alterTable('order_accounts', (t) => {
    t.dropColumns('halted_at', 'halt_limit', 'halt_pnl');
  });
  for (const [table, columns] of Object.entries(COLUMNS)) {
    const alters = Object.keys(columns).map(
      (column) => `ALTER COLUMN "${column}" TYPE double precision USING "${column}"::double precision`,
    );
    await knex.raw(`ALTER TABLE "${table}" ${alters.join(', ')}`);
  }
}
