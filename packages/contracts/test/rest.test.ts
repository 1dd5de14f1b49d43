import { z } from 'zod/v4';
import { REST_META, REST_ROUTES, createWatchlistBody, placeOrderBody, riskLimitsBody } from '../src';
import type { RestRoute } from '../src';

const routes = REST_ROUTES as readonly RestRoute[];

describe('the REST route table', () => {
  it('names each operation once, under a path relative to /api', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of routes) expect(r.path).toMatch(/^\/[a-z0-9\-./{}A-Z]*$/);
  });

  it('refuses unknown keys in every body, so a misspelt optional field is never ignored', () => {
    for (const r of routes.filter((x) => x.body)) {
      const issues = r.body!.safeParse({ surprise: 1 }).error?.issues ?? [];
      expect([r.path, issues.some((i) => i.code === 'unrecognized_keys')]).toEqual([r.path, true]);
    }
  });

  it('names every object it answers, so the OpenAPI document refers to one component', () => {
    const objects = routes.filter((r) => r.ok.schema instanceof z.ZodObject);
    expect(objects.length).toBeGreaterThan(15);
    for (const r of objects)
      expect([r.path, typeof REST_META.get(r.ok.schema!)?.id]).toEqual([r.path, 'string']);
  });
});

describe('request schemas', () => {
  it('normalise symbols as the gateway stores them', () => {
    expect(createWatchlistBody.parse({ name: ' tech ', symbols: ['aapl', ' brk.b', 'AAPL'] })).toEqual({
      name: 'tech',
      symbols: ['AAPL', 'BRK.B'],
    });
    expect(createWatchlistBody.safeParse({ name: 'x', symbols: ['t$la'] }).error?.issues[0]?.path).toEqual([
      'symbols',
      0,
    ]);
  });

  it('require the prices an order type needs, and refuse the others', () => {
    const limit = placeOrderBody.safeParse({ symbol: 'AAPL', side: 'BUY', qty: 1, type: 'LIMIT' });
    expect(limit.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['limit_price', 'required for LIMIT'],
    ]);
    expect(placeOrderBody.parse({ symbol: 'AAPL', side: 'BUY', qty: 1, type: 'MARKET' }).time_in_force).toBe(
      'DAY',
    );
  });

  it('accept order enums in upper or lower case and answer them upper-cased', () => {
    const order = { symbol: 'AAPL', qty: 1, limit_price: 10 };
    expect(
      placeOrderBody.parse({ ...order, side: 'buy', type: 'limit', time_in_force: 'gtc' }),
    ).toMatchObject({
      side: 'BUY',
      type: 'LIMIT',
      time_in_force: 'GTC',
    });
    expect(
      placeOrderBody.parse({
        ...order,
        side: 'SELL',
        type: 'stop_limit',
        stop_price: 9,
        time_in_force: 'IOC',
      }),
    ).toMatchObject({ side: 'SELL', type: 'STOP_LIMIT', time_in_force: 'IOC' });
    // Mixed case is in neither spelling the OpenAPI document lists.
    expect(placeOrderBody.safeParse({ ...order, side: 'Buy', type: 'LIMIT' }).error?.issues[0]?.path).toEqual(
      ['side'],
    );
  });

  it('refuse quantities and prices with more decimals than an order can carry', () => {
    const issues = (order: Record<string, unknown>) =>
      placeOrderBody
        .safeParse({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', limit_price: 10, qty: 1, ...order })
        .error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues({ qty: 1e-10 })).toEqual([['qty', 'at most 9 decimals']]);
    expect(issues({ qty: 1.0000000001 })).toEqual([['qty', 'at most 9 decimals']]);
    expect(issues({ limit_price: 1e-7 })).toEqual([['limit_price', 'at most 6 decimals']]);
    expect(issues({ qty: 0.123456789, limit_price: 0.123456 })).toBeUndefined();
  });

  it('derive risk-limit overrides from the defaults: their keys, with their types', () => {
    const body = riskLimitsBody({ maxOrderQty: 10, tradingEnabled: true, deniedSymbols: [] });
    expect(body.parse({ limits: { maxOrderQty: 5, deniedSymbols: ['gme', 'GME'] } })).toEqual({
      limits: { maxOrderQty: 5, deniedSymbols: ['GME'] },
    });
    expect(body.safeParse({ limits: { maxOrderQty: true } }).success).toBe(false);
    expect(body.safeParse({ limits: { priceBandPct: 5 } }).success).toBe(false);
  });
});
