import SwaggerParser from '@apidevtools/swagger-parser';
import type { Router } from 'express';
import type { OpenAPIV3_1 } from 'openapi-types';
import request from 'supertest';
import type { Response } from 'supertest';
import { REST_ROUTES } from '@tickstream/contracts';
import type { RestRoute } from '@tickstream/contracts';
import { createApiRouter, openApiDocument } from '../../src/http';
import { ALPACA_KEYS, bearer, signUp, signUpAdmin, startHarnessWithFakeAlpaca } from './harness';
import type { Account, Harness } from './harness';

// The REST contract (packages/contracts/src/rest) against the gateway that implements it: the
// router mounts exactly its routes, the document generated from it is valid OpenAPI, bodies that
// break its schemas are refused naming the fields, and answers satisfy its answer schemas.

let h: Harness;
let admin: Account;
let trader: Account;

beforeAll(async () => {
  h = await startHarnessWithFakeAlpaca();
  admin = await signUpAdmin(h);
  trader = await signUp(h.app);
});
afterAll(async () => h.close());

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** `METHOD /path` of every route an Express router (and the routers it mounts) registers. */
function registeredRoutes(stack: Layer[]): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = layer.route.path.replace(/:(\w+)/g, '{$1}');
      return Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${path}`);
    }
    return layer.handle?.stack ? registeredRoutes(layer.handle.stack) : [];
  });
}

const routeOf = (method: string, path: string): RestRoute => {
  const route = (REST_ROUTES as readonly RestRoute[]).find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`no ${method} ${path} in REST_ROUTES`);
  return route;
};

/** A path of the route with its parameters filled in: ids that name nothing, a valid symbol. */
const concrete = (route: RestRoute, ids: Record<string, string> = {}) =>
  route.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
    name === 'symbol'
      ? 'AAPL'
      : name === 'version'
        ? 'v1'
        : (ids[name] ?? '5a0c3c4e-6a3b-4c57-9f52-0c1d2e3f4a5b'),
  );

const send = (route: RestRoute, account: Account | null, body?: unknown, ids?: Record<string, string>) => {
  let req = request(h.app)[route.method](`/api${concrete(route, ids)}`);
  if (account) req = req.set(bearer(account));
  return body === undefined ? req : req.send(body as object);
};

/** The answer has the route's success status and satisfies its answer schema. */
function expectAnswer(route: RestRoute, res: Response, status: number = route.ok.status): void {
  if (res.status !== status)
    throw new Error(`${route.method} ${route.path}: ${res.status} ${JSON.stringify(res.body)}`);
  if (!route.ok.schema) return;
  const parsed = route.ok.schema.safeParse(res.body);
  if (!parsed.success)
    throw new Error(`${route.method} ${route.path} answered outside its schema: ${parsed.error.message}`);
}

describe('the OpenAPI document', () => {
  it('describes exactly the routes the API router mounts, no more, no fewer', () => {
    const router = createApiRouter({
      db: h.db,
      redis: h.redis,
      log: { warn() {}, error() {}, info() {} } as never,
      tokens: h.tokens,
      masterKey: h.masterKey,
      orders: h.orders.api,
      inference: h.inference.api,
      publishDemand: async () => {},
      defaultRiskLimits: {},
    }) as Router & { stack: Layer[] };
    const mounted = registeredRoutes(router.stack).sort();
    const documented = Object.entries(openApiDocument().paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(mounted.length).toBeGreaterThan(30);
    expect(new Set(mounted).size).toBe(mounted.length);
    expect(mounted).toEqual(documented);
  });

  it('is valid OpenAPI 3.1, and the validator refuses a broken one', async () => {
    const served = await request(h.app).get('/api/openapi.json');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(openApiDocument());
    const doc = served.body as OpenAPIV3_1.Document;
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();

    // Every reference resolves: a component taken away is an error, not a silent gap.
    const broken = structuredClone(doc);
    delete broken.components!.schemas!.Watchlist;
    await expect(SwaggerParser.validate(broken)).rejects.toThrow(/Watchlist/);
    // And the structure is checked: an answer must say what it is, a path parameter is required.
    const undescribed = structuredClone(doc);
    delete (undescribed.paths!['/me']!.get!.responses!['200'] as { description?: string }).description;
    await expect(SwaggerParser.validate(undescribed)).rejects.toThrow(/description/);
    const optionalParam = structuredClone(doc);
    (optionalParam.paths!['/orders/{id}']!.get!.parameters![0] as { required: boolean }).required = false;
    await expect(SwaggerParser.validate(optionalParam)).rejects.toThrow();
  });

  it('documents each body and answer from the schemas the gateway uses', () => {
    const doc = openApiDocument();
    const place = doc.paths['/orders']!.post as {
      requestBody: {
        content: { 'application/json': { schema: { required: string[]; properties: object } } };
      };
      responses: Record<string, unknown>;
    };
    const body = place.requestBody.content['application/json'].schema;
    // time_in_force has a default, client_order_id is optional: a client need not send them.
    expect(body.required.sort()).toEqual(['qty', 'side', 'symbol', 'type']);
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['limit_price', 'stop_price']));
    expect(Object.keys(place.responses).sort()).toEqual(['202', '400', '401', '409', '415', '429', '503']);
    const watchlist = doc.components.schemas.Watchlist as { required: string[] };
    expect(watchlist.required.sort()).toEqual(['createdAt', 'id', 'name', 'position', 'symbols']);
    // Route parameters are declared where the path has them, and nowhere else.
    const lift = doc.paths['/admin/trading-halts/{userId}/lift']!.post as { parameters: { name: string }[] };
    expect(lift.parameters.map((p) => p.name)).toEqual(['userId']);
    const orders = doc.paths['/orders']!.get as { parameters: { name: string; in: string }[] };
    expect(orders.parameters).toEqual([
      expect.objectContaining({ name: 'status', in: 'query' }),
      expect.objectContaining({ name: 'limit', in: 'query' }),
    ]);
  });
});

describe('access', () => {
  it('asks every non-public route for a token, and every admin route for the role', async () => {
    for (const route of REST_ROUTES as readonly RestRoute[]) {
      if (route.access === 'public') continue;
      expect([route.path, (await send(route, null)).status]).toEqual([route.path, 401]);
      if (route.access === 'admin')
        expect([route.path, (await send(route, trader)).status]).toEqual([route.path, 403]);
    }
  });
});

describe('request bodies', () => {
  const withBody = (REST_ROUTES as readonly RestRoute[]).flatMap((r) =>
    r.body ? [[`${r.method.toUpperCase()} ${r.path}`, r, r.body] as const] : [],
  );

  it.each(withBody)(
    '%s refuses a body outside its schema with 400, naming each field',
    async (_name, route, schema) => {
      const caller = route.access === 'public' ? null : route.access === 'admin' ? admin : trader;
      const res = await send(route, caller, { unexpected: true });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      // The very issues of the contract's schema: the gateway validated with it.
      const issues = schema.safeParse({ unexpected: true }).error!.issues;
      const paths = issues.map((i) => i.path.map(String).join('.') || '(root)');
      expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(paths);
      for (const path of paths) expect(res.body.message).toContain(`${path}:`);
    },
  );

  it('names the bad field and says what it expects, never echoing the value', async () => {
    const order = await send(routeOf('post', '/orders'), trader, {
      symbol: 'aapl',
      side: 'HOLD',
      qty: -3,
      type: 'MARKET',
    });
    expect(order.status).toBe(400);
    expect(order.body.details).toEqual([
      { path: 'side', message: 'expected one of BUY, SELL (or lower case)' },
      { path: 'qty', message: expect.stringMatching(/>0/) },
    ]);
    expect(order.body.message).toMatch(
      /^invalid request body: side: expected one of BUY, SELL \(or lower case\); qty: /,
    );
    expect(order.body.message).not.toContain('HOLD');

    const keys = await send(routeOf('put', '/broker-keys'), trader, {
      keyId: ALPACA_KEYS.key,
      secretKey: 'has a space in it!',
    });
    expect(keys.status).toBe(400);
    expect(keys.body.details).toEqual([{ path: 'secretKey', message: expect.stringMatching(/printable/) }]);
    expect(JSON.stringify(keys.body)).not.toContain('has a space');

    const signup = await send(routeOf('post', '/auth/signup'), null, { password: 'long enough password' });
    expect(signup.body.details).toEqual([{ path: 'email', message: 'required' }]);
    expect(signup.body.message).toBe('invalid request body: email: required');

    const query = await request(h.app).get('/api/orders?status=pending&limit=0').set(bearer(trader));
    expect(query.status).toBe(400);
    expect(query.body.details.map((d: { path: string }) => d.path)).toEqual(['status', 'limit']);
    expect(query.body.message).toMatch(/^invalid query: status: /);
  });
});

describe('answers', () => {
  it('satisfy the answer schemas of the contract', async () => {
    const a = await signUp(h.app);
    const login = await send(routeOf('post', '/auth/login'), null, {
      email: a.email,
      password: 'correct horse battery',
    });
    expectAnswer(routeOf('post', '/auth/login'), login);
    expectAnswer(
      routeOf('post', '/auth/refresh'),
      await send(routeOf('post', '/auth/refresh'), null, { refreshToken: a.refreshToken }),
    );
    expectAnswer(routeOf('get', '/me'), await send(routeOf('get', '/me'), a));

    const created = await send(routeOf('post', '/watchlists'), a, {
      name: 'tech',
      symbols: ['aapl', 'msft'],
    });
    expectAnswer(routeOf('post', '/watchlists'), created);
    const ids = { id: created.body.id as string, userId: a.id };
    // The trader's routes, then the admin's.
    for (const [who, method, path, body] of [
      [a, 'get', '/watchlists'],
      [a, 'get', '/watchlists/{id}'],
      [a, 'patch', '/watchlists/{id}', { name: 'big tech' }],
      [a, 'put', '/watchlists/{id}/symbols', { symbols: ['NVDA', 'AAPL'] }],
      [a, 'post', '/watchlists/{id}/symbols', { symbol: 'brk.b' }],
      [a, 'delete', '/watchlists/{id}/symbols/{symbol}'],
      [a, 'get', '/broker-keys'],
      [a, 'put', '/broker-keys', { keyId: ALPACA_KEYS.key, secretKey: ALPACA_KEYS.secret }],
      [a, 'get', '/broker-keys'],
      [a, 'get', '/risk-limits'],
      [a, 'get', '/orders'],
      [a, 'get', '/positions'],
      [a, 'get', '/account'],
      [admin, 'put', '/admin/risk-limits/{userId}', { limits: { maxOrderQty: 5, deniedSymbols: ['gme'] } }],
      [admin, 'get', '/admin/risk-limits/{userId}'],
      [admin, 'get', '/admin/trading-halts'],
      [admin, 'get', '/admin/trading-halts/{userId}'],
      [admin, 'get', '/admin/risk-audit/{userId}'],
    ] as const) {
      const route = routeOf(method, path);
      expectAnswer(route, await send(route, who, body, ids));
    }
  });
});
