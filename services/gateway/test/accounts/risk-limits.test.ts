import request from 'supertest';
import { DEFAULT_LIMITS, bearer, harnessForFile, signUp, signUpAdmin } from '../http/harness';
import type { Account } from '../http/harness';

const h = harnessForFile();

/** PUT /api/admin/risk-limits/:id as `by`: replaces the account's overrides with `limits`. */
const putLimits = (by: Account, accountId: string, limits: unknown) =>
  request(h.app).put(`/api/admin/risk-limits/${accountId}`).set(bearer(by)).send({ limits });

describe('risk limits', () => {
  it('gives the defaults to an account without overrides', async () => {
    const a = await signUp(h.app);
    const res = await request(h.app).get('/api/risk-limits').set(bearer(a));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ limits: DEFAULT_LIMITS, overrides: {}, updatedAt: null });
  });

  it('lets an admin override limits, merged over the defaults', async () => {
    const admin = await signUpAdmin(h);
    const a = await signUp(h.app);
    const put = await putLimits(admin, a.id, {
      maxOrderQty: 100,
      tradingEnabled: false,
      deniedSymbols: ['GME'],
    });
    expect(put.status).toBe(200);
    const mine = await request(h.app).get('/api/risk-limits').set(bearer(a));
    expect(mine.body.limits).toEqual({
      ...DEFAULT_LIMITS,
      maxOrderQty: 100,
      tradingEnabled: false,
      deniedSymbols: ['GME'],
    });
    expect(mine.body.overrides).toEqual({ maxOrderQty: 100, tradingEnabled: false, deniedSymbols: ['GME'] });
    expect(mine.body.updatedAt).toEqual(expect.any(String));
    expect((await h.db('risk_limits').where({ user_id: a.id }).first()).updated_by).toBe(admin.id);

    // Replacing with an empty record returns the account to the defaults.
    await putLimits(admin, a.id, {});
    expect(
      (await request(h.app).get(`/api/admin/risk-limits/${a.id}`).set(bearer(admin))).body.limits,
    ).toEqual(DEFAULT_LIMITS);
  });

  it('stores symbol lists upper-cased and refuses entries that are not tickers', async () => {
    const admin = await signUpAdmin(h);
    const a = await signUp(h.app);
    const put = await putLimits(admin, a.id, { deniedSymbols: ['tsla', ' gme ', 'TSLA', 'brk.b'] });
    expect(put.status).toBe(200);
    expect(put.body.overrides.deniedSymbols).toEqual(['TSLA', 'GME', 'BRK.B']);
    expect((await h.db('risk_limits').where({ user_id: a.id }).first()).limits.deniedSymbols).toEqual([
      'TSLA',
      'GME',
      'BRK.B',
    ]);
    for (const bad of [['t$la'], ['1ABC'], [''], ['ABCDEFGHIJK']]) {
      const res = await putLimits(admin, a.id, { deniedSymbols: bad });
      expect(res.status).toBe(400);
      expect(res.body.details[0].path).toBe('limits.deniedSymbols.0');
    }
  });

  it('records who changed which overrides, and when, in the risk audit', async () => {
    const admin = await signUpAdmin(h);
    const a = await signUp(h.app);
    const put = (limits: Record<string, unknown>) => putLimits(admin, a.id, limits);
    expect((await put({ maxOrderQty: 100 })).status).toBe(200);
    expect((await put({ maxOrderQty: 50, deniedSymbols: ['gme'] })).status).toBe(200);
    const audit = await request(h.app).get(`/api/admin/risk-audit/${a.id}`).set(bearer(admin));
    expect(audit.status).toBe(200);
    // Newest first.
    const change = (details: object) => ({
      id: expect.any(String),
      at: expect.any(String),
      adminId: admin.id,
      accountId: a.id,
      action: 'RISK_LIMITS_CHANGED',
      reason: null,
      details,
    });
    expect(audit.body).toEqual([
      change({ before: { maxOrderQty: 100 }, after: { maxOrderQty: 50, deniedSymbols: ['GME'] } }),
      change({ before: {}, after: { maxOrderQty: 100 } }),
    ]);
    expect((await request(h.app).get(`/api/admin/risk-audit/${a.id}`).set(bearer(a))).status).toBe(403);
  });

  it('refuses unknown keys, wrong types and negative numbers', async () => {
    const admin = await signUpAdmin(h);
    const a = await signUp(h.app);
    for (const limits of [
      { nope: 1 },
      { maxOrderQty: '100' },
      { maxOrderQty: -1 },
      { tradingEnabled: 1 },
      { deniedSymbols: 'GME' },
    ]) {
      const res = await putLimits(admin, a.id, limits);
      expect(res.status).toBe(400);
    }
    expect(await h.db('risk_limits').where({ user_id: a.id }).first()).toBeUndefined();
  });

  it('is admin-only, and 404 for unknown users', async () => {
    const a = await signUp(h.app);
    const b = await signUp(h.app);
    const res = await putLimits(a, b.id, { maxOrderQty: 1e9 });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect((await request(h.app).get(`/api/admin/risk-limits/${b.id}`).set(bearer(a))).status).toBe(403);

    const admin = await signUpAdmin(h);
    const unknown = await putLimits(admin, '00000000-0000-4000-8000-000000000000', {});
    expect(unknown.status).toBe(404);
    expect((await request(h.app).get('/api/admin/risk-limits/not-a-uuid').set(bearer(admin))).status).toBe(
      404,
    );
  });
});
