import request from 'supertest';
import type { Account } from '../http/harness';
import { bearer, harnessForFile, signUp, signUpAdmin } from '../http/harness';

/** The order service's trading day: today's New York calendar date. */
const newYorkDate = () =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

const h = harnessForFile();

const HALTED_AT = new Date();

/** What the order service writes when an order finds today's loss beyond the account's limit. */
async function haltToday(a: Account): Promise<void> {
  await h.db('risk_limits').insert({ user_id: a.id, limits: JSON.stringify({ dailyLossLimit: 1000 }) });
  await h.db('order_accounts').insert({
    account_id: a.id,
    trading_day: newYorkDate(),
    realized_today: '-1234.56',
    halted_for_day: true,
    halted_at: HALTED_AT,
    halt_limit: '1000.00',
    halt_pnl: '-1234.56',
  });
}

describe('trading halts (admin)', () => {
  it('shows a halted account: since when, the limit breached and the P&L that breached it', async () => {
    const admin = await signUpAdmin(h);
    const a = await signUp(h.app);
    await haltToday(a);
    const res = await request(h.app).get(`/api/admin/trading-halts/${a.id}`).set(bearer(admin));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: a.id,
      tradingDay: newYorkDate(),
      halted: true,
      haltedAt: HALTED_AT.toISOString(),
      breachedLimit: 1000,
      pnlAtHalt: -1234.56,
      dailyLossLimit: 1000,
      realizedToday: -1234.56,
      unrealized: 0,
      dayPnl: -1234.56,
      lastLift: null,
    });
    const list = await request(h.app).get('/api/admin/trading-halts').set(bearer(admin));
    expect(list.status).toBe(200);
    expect(list.body).toContainEqual(res.body);
    expect(list.body.every((v: { halted: boolean }) => v.halted)).toBe(true);

    // The trader's own summary says the same.
    expect((await request(h.app).get('/api/account').set(bearer(a))).body).toMatchObject({
      haltedForDay: true,
      realizedToday: -1234.56,
    });
  });

  it('shows an account that never halted as not halted', async () => {
    const admin = await signUpAdmin(h);
    const a = await signUp(h.app);
    const res = await request(h.app).get(`/api/admin/trading-halts/${a.id}`).set(bearer(admin));
    expect(res.body).toMatchObject({ halted: false, haltedAt: null, breachedLimit: null, realizedToday: 0 });
  });

  it('lifts a halt with a reason, recording who lifted it and when', async () => {
    const admin = await signUpAdmin(h);
    const a = await signUp(h.app);
    await haltToday(a);
    const lift = (body: unknown, who: Account = admin) =>
      request(h.app)
        .post(`/api/admin/trading-halts/${a.id}/lift`)
        .set(bearer(who))
        .send(body as object);

    expect((await lift({})).status).toBe(400);
    expect((await lift({ reason: '   ' })).status).toBe(400);
    expect((await lift({ reason: 'x' }, a)).status).toBe(403);
    expect((await h.db('order_accounts').where({ account_id: a.id }).first()).halted_for_day).toBe(true);

    const before = Date.now();
    const res = await lift({ reason: 'loss was a bad mark; confirmed with the desk' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      halted: false,
      haltedAt: null,
      breachedLimit: null,
      lastLift: { by: admin.id, reason: 'loss was a bad mark; confirmed with the desk' },
    });
    expect(Date.parse(res.body.lastLift.at)).toBeGreaterThanOrEqual(before - 1000);
    const row = await h.db('order_accounts').where({ account_id: a.id }).first();
    expect(row).toMatchObject({ halted_for_day: false, halted_at: null, halt_limit: null, halt_pnl: null });
    // Today's realized P&L is history, not part of the halt: lifting keeps it.
    expect(row.realized_today).toBe('-1234.56');

    const audit = await request(h.app).get(`/api/admin/risk-audit/${a.id}`).set(bearer(admin));
    expect(audit.body[0]).toEqual({
      id: expect.any(String),
      at: res.body.lastLift.at,
      adminId: admin.id,
      accountId: a.id,
      action: 'HALT_LIFTED',
      reason: 'loss was a bad mark; confirmed with the desk',
      details: {
        tradingDay: newYorkDate(),
        haltedAt: HALTED_AT.toISOString(),
        breachedLimit: 1000,
        pnlAtHalt: -1234.56,
      },
    });

    const twice = await lift({ reason: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('NOT_HALTED');
  });

  it('does not count a halt of an earlier day, and 404s unknown accounts', async () => {
    const admin = await signUpAdmin(h);
    const a = await signUp(h.app);
    await h.db('order_accounts').insert({
      account_id: a.id,
      trading_day: '2020-01-02',
      realized_today: '-9000.00',
      halted_for_day: true,
    });
    expect(
      (await request(h.app).get(`/api/admin/trading-halts/${a.id}`).set(bearer(admin))).body,
    ).toMatchObject({ halted: false, realizedToday: 0 });
    const lift = await request(h.app)
      .post(`/api/admin/trading-halts/${a.id}/lift`)
      .set(bearer(admin))
      .send({ reason: 'old' });
    expect(lift.body.code).toBe('NOT_HALTED');
    expect(
      (
        await request(h.app)
          .get('/api/admin/trading-halts/00000000-0000-4000-8000-000000000000')
          .set(bearer(admin))
      ).status,
    ).toBe(404);
  });
});
