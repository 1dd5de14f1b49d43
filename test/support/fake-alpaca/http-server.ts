import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => void;

/**
 * One loopback HTTP server on an ephemeral port with a tiny router, so the market-data fake and
 * (later) the trading-API fake can each register their routes and WebSocket paths on it.
 */
export class FakeHttpServer {
  private readonly routes: Array<{ method: string; path: RegExp; handler: RouteHandler }> = [];
  private readonly upgrades: Array<{ path: RegExp; handler: UpgradeHandler }> = [];
  private readonly server = createServer((req, res) => void this.dispatch(req, res));

  private constructor() {
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = this.upgrades.find((u) => u.path.test(url.pathname));
      if (match) match.handler(req, socket, head, url);
      else socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    });
  }

  static async listen(): Promise<FakeHttpServer> {
    const s = new FakeHttpServer();
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    return s;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  route(method: string, path: RegExp, handler: RouteHandler): void {
    this.routes.push({ method, path, handler });
  }

  upgrade(path: RegExp, handler: UpgradeHandler): void {
    this.upgrades.push({ path, handler });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = this.routes.find((r) => r.method === req.method && r.path.test(url.pathname));
    try {
      if (route) await route.handler(req, res, url);
      else sendJson(res, 404, { message: 'not found' });
    } catch (err) {
      sendJson(res, 500, { message: (err as Error).message });
    }
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
