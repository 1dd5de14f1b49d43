import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { TypedProducer } from '@tickstream/platform';
import { io } from 'socket.io-client';
import { eventually } from '../support/env';
import type { ClientSocket } from '../support/gateway-client';
import { api, signUp } from '../support/gateway-client';
import type { KafkaTestbed } from '../support/kafka';
import { kafkaTestbed, typedProducer } from '../support/kafka';
import type { ServiceProcess } from '../support/service-process';
import { freePort, startService } from '../support/service-process';
import { quote } from '../support/records';

const ROOT = path.resolve(__dirname, '../..');
const CLIENTS = 6;

/** Connected sockets of one gateway, from its /metrics. */
async function socketsOn(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(/^gateway_connected_sockets(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? NaN);
}

interface Client {
  socket: ClientSocket;
  connects: number;
  /** Receive times of live quotes. */
  quotes: number[];
}

// Two gateways behind the local load balancer that `npm run up -- --replicas N` starts
// (scripts/lb.mjs). Clients connect through it and spread over both; one gateway is SIGKILLed
// with its clients connected: they reconnect through the same address to the survivor, with the
// web client's reconnection settings (Socket.IO's defaults), and quotes resume.
describe('gateway: two replicas behind the load balancer, one SIGKILLed', () => {
  let bed: KafkaTestbed;
  let producer: TypedProducer;
  const gateways: ServiceProcess[] = [];
  let lb: ChildProcess | undefined;
  const clients: Client[] = [];
  let pump: ReturnType<typeof setInterval> | undefined;

  let base: string;
  const env = {
    TOPIC_PREFIX: '',
    REDIS_KEY_PREFIX: '',
    RATE_SIGNUP_PER_IP: '1000',
    RATE_LOGIN_PER_IP: '4',
    MARKET_UPDATE_INTERVAL: '50',
  };

  beforeAll(async () => {
    bed = await kafkaTestbed('fault-gateway-replicas');
    producer = await typedProducer(bed);
    env.TOPIC_PREFIX = env.REDIS_KEY_PREFIX = bed.prefix;
    gateways.push(await startService('gateway', env));
    gateways.push(await startService('gateway', env));
    const lbPort = await freePort();
    lb = spawn(
      process.execPath,
      [
        path.join(ROOT, 'scripts/lb.mjs'),
        '--port',
        String(lbPort),
        '--targets',
        gateways.map((g) => g.port).join(','),
      ],
      { stdio: 'ignore' },
    );
    base = `http://127.0.0.1:${lbPort}`;
    await eventually(
      () =>
        fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
      15000,
      'the load balancer',
    );
  }, 120000);

  it('keeps the login limit per IP across replicas (one budget in Redis)', async () => {
    const user = await signUp(base, 'gw-replicas-login');
    const login = (port: number) =>
      api(
        `http://127.0.0.1:${port}`,
        'POST',
        '/api/auth/login',
        { email: user.user.email, password: 'correct horse battery staple' },
        undefined,
        [200, 429],
      ).then((r) => r.status);
    const statuses: number[] = [];
    // Alternating replicas: RATE_LOGIN_PER_IP=4 allows four in all, not four on each.
    for (let i = 0; i < 6; i++) statuses.push(await login(gateways[i % 2]!.port));
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  afterAll(async () => {
    clearInterval(pump);
    for (const c of clients) c.socket.close();
    lb?.kill('SIGTERM');
    await Promise.all(gateways.map((g) => g.stop()));
    await producer?.disconnect();
    await bed?.close();
  });

  it('clients of the killed gateway reconnect to the other through the same address; quotes resume', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const user = await signUp(base, `gw-replicas-${i}`);
      await api(base, 'POST', '/api/watchlists', { name: 'Main', symbols: ['AAPL'] }, user.accessToken);
      tokens.push(user.accessToken);
    }
    // One connection after the other and nothing in between: the balancer alternates them.
    for (const [i, token] of tokens.entries()) {
      const client: Client = {
        socket: io(base, { path: '/socket.io', auth: { token }, transports: ['websocket'] }),
        connects: 0,
        quotes: [],
      };
      client.socket.on('connect', () => {
        client.connects++;
        // As the web client does on every connect.
        client.socket.emit('subscribe', ['AAPL'], () => undefined);
      });
      client.socket.on('quote', () => client.quotes.push(Date.now()));
      clients.push(client);
      await eventually(() => client.connects === 1, 15000, `client ${i} to connect`);
    }
    const spread = await Promise.all(gateways.map((g) => socketsOn(g.port)));
    expect(spread.reduce((a, b) => a + b, 0)).toBe(CLIENTS);
    expect(spread.every((n) => n > 0)).toBe(true);

    let bid = 100;
    pump = setInterval(() => {
      void producer
        .send('quotes', [{ key: 'AAPL', value: quote('AAPL', (bid += 0.01)) }])
        .catch(() => undefined);
    }, 100);
    await eventually(() => clients.every((c) => c.quotes.length > 0), 30000, 'every client to stream quotes');

    const killedAt = Date.now();
    await gateways[0]!.kill();
    const moved = spread[0]!;
    await eventually(
      () => clients.every((c) => c.quotes.some((t) => t > killedAt + 200)),
      30000,
      'every client to stream again after the kill',
    );
    const reconnected = clients.filter((c) => c.connects === 2);
    expect(reconnected).toHaveLength(moved);
    expect(clients.every((c) => c.socket.connected)).toBe(true);
    expect(await socketsOn(gateways[1]!.port)).toBe(CLIENTS);
    // The gap a reconnected client saw: its last quote before the kill to its first after it.
    const gaps = reconnected.map((c) => {
      const before = Math.max(...c.quotes.filter((t) => t <= killedAt));
      return Math.min(...c.quotes.filter((t) => t > killedAt)) - before;
    });
    console.log(
      `gateway: ${JSON.stringify(spread)} sockets per gateway; after the SIGKILL the ${moved} clients ` +
        `of the dead one streamed again after gaps of ${gaps.sort((a, b) => a - b).join(', ')} ms`,
    );
  }, 120000);
});
