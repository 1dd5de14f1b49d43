import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ordersApi } from '../../src/orders';

/** A stand-in for the order service's internal API that counts the connections it is given. */
async function countingServer(
  onRequest: (req: http.IncomingMessage, res: http.ServerResponse, nth: number) => void,
) {
  let connections = 0;
  const perSocket = new WeakMap<object, number>();
  const server = http.createServer((req, res) => {
    const nth = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, nth);
    onRequest(req, res, nth);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const notFound = (res: http.ServerResponse) => {
  res.statusCode = 404;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ code: 'NOT_FOUND', message: 'order not found' }));
};

describe("the gateway's client of the order service", () => {
  it('asks over one kept connection, not one per call', async () => {
    const server = await countingServer((_req, res) => notFound(res));
    const api = ordersApi({ url: server.url, token: 'test-token' });
    const account = randomUUID();
    for (let i = 0; i < 20; i++) expect(await api.orderByClientId(account, `id-${i}`)).toBeUndefined();
    expect(server.connections()).toBe(1);
    await server.close();
  });

  it('asks again on a new connection when a kept one is closed under its request', async () => {
    // The second request on a connection finds it closed, as when the server's idle timer ends
    // it just as the gateway writes: the lookup is answered all the same.
    const server = await countingServer((req, res, nth) =>
      nth === 2 ? req.socket.destroy() : notFound(res),
    );
    const api = ordersApi({ url: server.url, token: 'test-token' });
    const account = randomUUID();
    expect(await api.orderByClientId(account, 'first')).toBeUndefined();
    expect(await api.orderByClientId(account, 'second')).toBeUndefined();
    expect(server.connections()).toBe(2);
    await server.close();
  });
});
