import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Quote, SymbolSnapshot } from '@tickstream/contracts';
import type { TypedProducer } from '@tickstream/platform';
import { io } from 'socket.io-client';
import { eventually } from '../support/env';
import type { ClientSocket } from '../support/gateway-client';
import { api, signUp } from '../support/gateway-client';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, typedProducer } from '../support/kafka';
import type { ServiceProcess } from '../support/service-process';
import { isolatedEnv, startService } from '../support/service-process';
import { quote } from '../support/records';

/** A TCP forwarder standing in for the load balancer: clients keep one address across restarts. */
async function forwarder(target: () => number): Promise<{ port: number; close(): Promise<void> }> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target(), '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

// The gateway holds no state a client needs beyond its token: after a SIGKILL and restart the
// client reconnects, subscribes again (as the web client does on every connect) and gets a
// snapshot rebuilt from Kafka that carries the quote it saw before.
describe('gateway killed with SIGKILL and restarted', () => {
  let bed: KafkaTestbed;
  let producer: TypedProducer;
  let gateway: ServiceProcess | undefined;
  let proxy: Awaited<ReturnType<typeof forwarder>>;
  let socket: ClientSocket | undefined;

  beforeAll(async () => {
    bed = await kafkaTestbed('fault-kill-gateway');
    producer = await typedProducer(bed);
  });

  afterAll(async () => {
    socket?.close();
    await proxy?.close();
    await gateway?.stop();
    await producer?.disconnect();
    await bed?.close();
  });

  it('clients reconnect, resubscribe and see the snapshot again; streaming resumes', async () => {
    const env = isolatedEnv(bed.prefix, { MARKET_UPDATE_INTERVAL: '50' });
    gateway = await startService('gateway', env);
    proxy = await forwarder(() => gateway!.port);
    const base = `http://127.0.0.1:${proxy.port}`;
    const user = await signUp(base, 'kill-gw');
    await api(base, 'POST', '/api/watchlists', { name: 'Main', symbols: ['AAPL'] }, user.accessToken);
    await producer.send('quotes', [{ key: 'AAPL', value: quote('AAPL', 123.45) }]);

    const snapshots: SymbolSnapshot[] = [];
    const quotes: Quote[] = [];
    const acks: unknown[] = [];
    let connects = 0;
    socket = io(base, {
      path: '/socket.io',
      auth: { token: user.accessToken },
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 1000,
      forceNew: true,
    });
    socket.on('connect', () => {
      connects++;
      socket!.emit('subscribe', ['AAPL'], (ack) => acks.push(ack));
    });
    socket.on('snapshot', (s) => snapshots.push(s));
    socket.on('quote', (q) => quotes.push(q));
    // The gateway may not have read the quote yet when the first snapshot is taken: ask again.
    await eventually(
      async () => {
        if (snapshots.some((s) => s.quote?.bid_price === 123.45)) return true;
        if (socket!.connected) {
          await socket!.timeout(5000).emitWithAck('unsubscribe', ['AAPL']);
          socket!.emit('subscribe', ['AAPL'], () => undefined);
        }
        await new Promise((r) => setTimeout(r, 300));
        return undefined;
      },
      30000,
      'a snapshot with the quote',
    );
    const before = snapshots.length;
    acks.length = 0;

    await gateway.kill();
    gateway = await startService('gateway', env);
    await eventually(
      () => connects >= 2 && snapshots.length > before && acks.length >= 1,
      30000,
      'a reconnect, its ack and snapshot',
    );
    expect(acks).toEqual([{ ok: true, symbols: ['AAPL'] }]);
    expect(snapshots.at(-1)).toMatchObject({ symbol: 'AAPL', quote: { bid_price: 123.45 } });

    await producer.send('quotes', [{ key: 'AAPL', value: quote('AAPL', 124.5) }]);
    await eventually(
      () => quotes.some((q) => q.bid_price === 124.5),
      15000,
      'a live quote after the restart',
    );
  }, 120000);
});
