import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { createDatabase } from '@tickstream/platform';
import { TEST_ENV } from '../../../../test/support/env';
import type { OrdersApiServer } from '../../../../test/support/orders-api';
import { startOrdersApi } from '../../../../test/support/orders-api';

let db: Knex;
let server: OrdersApiServer;

beforeAll(async () => {
  db = createDatabase(TEST_ENV.DATABASE_URL, { max: 2 });
  server = await startOrdersApi(db);
});

afterAll(async () => {
  await server.close();
  await db.destroy();
});

const positions = (headers: Record<string, string>) =>
  fetch(`${server.url}/internal/v1/accounts/${randomUUID()}/positions`, { headers });

describe('the internal API', () => {
  it('answers the caller that presents the service token', async () => {
    const res = await positions({ authorization: `Bearer ${server.token}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it('refuses a request without the service token', async () => {
    const res = await positions({});
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      code: 'SERVICE_TOKEN_REQUIRED',
      message: 'a service token is required',
    });
  });

  it('refuses a wrong service token, and a write with it changes nothing', async () => {
    const res = await positions({ authorization: `Bearer ${server.token}x` });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('SERVICE_TOKEN_INVALID');

    const account = randomUUID();
    const put = await fetch(`${server.url}/internal/v1/accounts/${account}/risk-limits`, {
      method: 'PUT',
      headers: { authorization: 'Bearer not-the-token', 'content-type': 'application/json' },
      body: JSON.stringify({ overrides: { maxOrderQty: 1 }, adminId: randomUUID() }),
    });
    expect(put.status).toBe(401);
    expect(await db('risk_limits').where({ user_id: account })).toEqual([]);
  });

  it('answers 400 for an account id that is not a UUID', async () => {
    const res = await fetch(`${server.url}/internal/v1/accounts/nope/positions`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('BAD_REQUEST');
  });
});
