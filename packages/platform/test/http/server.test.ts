import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Lifecycle, createAppServer, createMetricsRegistry, listenHttp } from '@tickstream/platform';
import { silentLog } from '../../../../test/support/kafka';

describe('createAppServer', () => {
  const servers: http.Server[] = [];
  afterAll(async () => {
    for (const s of servers) if (s.listening) await new Promise((r) => s.close(r));
  });

  async function started(): Promise<{ server: http.Server; url: string; life: Lifecycle }> {
    const life = new Lifecycle(silentLog);
    const server = createAppServer(
      { lifecycle: life, metrics: createMetricsRegistry('test-app-server'), checks: { dep: () => true } },
      (req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`app ${req.url}`);
      },
    );
    servers.push(server);
    await listenHttp(server, 0, '127.0.0.1');
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, life };
  }

  it('answers the health paths itself and hands everything else to the app', async () => {
    const { url, life } = await started();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    life.running();
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({
      status: 'ready',
      dependencies: { dep: true },
    });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('http_server_request_duration_seconds');
    expect(await (await fetch(`${url}/api/x?y=1`)).text()).toBe('app /api/x?y=1');
  });

  it('rejects when the port is taken', async () => {
    const { server } = await started();
    const second = createAppServer(
      {
        lifecycle: new Lifecycle(silentLog),
        metrics: createMetricsRegistry('test-app-server-2'),
        checks: {},
      },
      (_req, res) => res.end(),
    );
    await expect(
      listenHttp(second, (server.address() as AddressInfo).port, '127.0.0.1'),
    ).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});
