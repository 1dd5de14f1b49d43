import { randomBytes } from 'node:crypto';
import express from 'express';
import type { Knex } from 'knex';
import { createDatabase, createLogger } from '@tickstream/platform';
import { TEST_ENV, TEST_SECRETS } from './env';
import { serveLocally } from './local-server';
import { INTERNAL_API_PATH, internalApi } from '../../services/orders/src/api';
import type { OrdersApi } from '../../services/gateway/src/orders/service-client';
import { ordersApi } from '../../services/gateway/src/orders/service-client';

export interface OrdersApiServer {
  url: string;
  token: string;
  /** The gateway's client of it. */
  api: OrdersApi;
  close(): Promise<void>;
}

/**
 * The order service's internal API in-process on a free port, over `db` (the gateway tests'
 * database, where they write the order service's rows they need), for the gateway's routes to
 * ask as they ask the real service. A gateway process reaches it with `ORDERS_URL: url` and, by
 * default, TEST_SECRETS' token: pass `token: TEST_SECRETS.ORDERS_SERVICE_TOKEN`.
 */
export async function startOrdersApi(
  db: Knex,
  opts: { defaults?: Record<string, unknown>; controlsId?: string; token?: string } = {},
): Promise<OrdersApiServer> {
  const { token = randomBytes(48).toString('base64'), ...api } = opts;
  const app = express();
  app.use(
    INTERNAL_API_PATH,
    internalApi({
      db,
      log: createLogger({ service: 'orders-api-test', level: 'silent' }),
      serviceToken: token,
      ...api,
    }),
  );
  const { url, close } = await serveLocally(app);
  return { url, token, api: ordersApi({ url, token }), close };
}

/**
 * The order service's internal API for a gateway process under test (`ORDERS_URL: url`), on a
 * pool of its own over the test database and with the token such a process sends; `close` ends
 * the pool too.
 */
export async function ordersApiForGateway(): Promise<OrdersApiServer> {
  const db = createDatabase(TEST_ENV.DATABASE_URL, { max: 2 });
  const server = await startOrdersApi(db, { token: TEST_SECRETS.ORDERS_SERVICE_TOKEN });
  return {
    ...server,
    close: async () => {
      await server.close();
      await db.destroy();
    },
  };
}
