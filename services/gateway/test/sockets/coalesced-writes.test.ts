import http from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server } from 'socket.io';
import type { Socket as ClientSocket } from 'socket.io-client';
import { io as connect } from 'socket.io-client';
import { coalesceWrites } from '../../src/sockets/coalesced-writes';
import type { GatewayServer } from '../../src/sockets/server';

const PACKETS = 10;

// A real Socket.IO server and client over TCP; what is counted is the server's writes to the
// client's TCP socket while one flush emits PACKETS packets to it.
describe('coalesceWrites', () => {
  let server: http.Server;
  let io: GatewayServer;
  let client: ClientSocket | undefined;

  async function start(coalesce: boolean): Promise<{ writes: () => number; received: Promise<void> }> {
    server = http.createServer();
    io = new Server(server, { serveClient: false }) as GatewayServer;
    if (coalesce) coalesceWrites(io);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const connected = new Promise<{ tcp: NetSocket }>((resolve) =>
      io.on('connection', (socket) => {
        const transport = socket.conn.transport as unknown as { socket: { _socket: NetSocket } };
        resolve({ tcp: transport.socket._socket });
      }),
    );
    client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true });
    const { tcp } = await connected;
    let writes = 0;
    // Each is one write syscall (or one writev of several chunks).
    for (const method of ['_write', '_writev'] as const) {
      const original = tcp[method] as (...args: unknown[]) => void;
      (tcp as unknown as Record<string, unknown>)[method] = function (this: NetSocket, ...args: unknown[]) {
        writes++;
        return original.apply(this, args);
      };
    }
    let count = 0;
    const received = new Promise<void>((resolve) =>
      client!.on('quote' as never, () => {
        if (++count === PACKETS) resolve();
      }),
    );
    return { writes: () => writes, received };
  }

  afterEach(async () => {
    client?.close();
    await io.close();
  });

  function flush(): void {
    // As the broadcaster's flush does: one emit per symbol, synchronously.
    for (let i = 0; i < PACKETS; i++) (io.emit as (e: string, p: unknown) => boolean)('quote', { i });
  }

  it('writes the packets queued behind the first as one TCP write', async () => {
    const { writes, received } = await start(true);
    flush();
    await received;
    // The first packet goes out at once; the nine queued behind it in one corked write.
    expect(writes()).toBe(2);
  });

  it('without it, every packet is a write of its own (what the hook saves)', async () => {
    const { writes, received } = await start(false);
    flush();
    await received;
    expect(writes()).toBe(PACKETS);
  });
});
