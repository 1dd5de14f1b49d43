import type { AddressInfo } from 'node:net';
import http from 'node:http';

/**
 * Serves `app` on a free port of 127.0.0.1, for a test to reach an in-process service API as it
 * reaches the real one. `close` also ends kept-alive connections, so closing never waits on them.
 */
export async function serveLocally(
  app: http.RequestListener,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
