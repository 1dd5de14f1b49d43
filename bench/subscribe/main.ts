// Subscription control on the gateway (issue 13): (1) one socket sends N subscribe(['AAPL']) back
// to back for a symbol it already streams: ack latency, snapshots and bytes it is sent, /healthz
// latency meanwhile; with the default per-socket limit, with the limit lifted (what dedupe alone
// gives), and beside a bare Socket.IO server acking at once. (2) A symbol removed through one
// replica: time until the user's sockets on both replicas get `unsubscribed`. (3) A replica
// started while quotes flow: time to /healthz, to /readyz, and from ready to the first live
// quote on a socket subscribed there.
// `npm run bench -- subscribe [--resubscribes 1000] [--revokes 20] [--history-bars 20000] [--flood-only]`
// Starts built gateway processes: run `npx tsc -b` first.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Quote, SubscribeAck } from '@tickstream/contracts';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';
import { eventually } from '../../test/support/env';
import { api, connectSocket, connected, signUp } from '../../test/support/gateway-client';
import { kafkaTestbed, typedProducer } from '../../test/support/kafka';
import type { ServiceProcess } from '../../test/support/service-process';
import { freePort, isolatedEnv, startService } from '../../test/support/service-process';
import { bar, quote } from '../../services/gateway/test/support/records';
import { benchLine, percentile, printTable } from '../support/report';
import { arg, runBench } from '../support/cli';

const RESUBSCRIBES = arg('resubscribes', 1000);
const REVOKES = arg('revokes', 20);
const HISTORY_BARS = arg('history-bars', 20000);
const SNAPSHOT_BARS = 500;
// Only part (1), with the gateway as configured: what a build without the other parts can run.
const FLOOD_ONLY = process.argv.includes('--flood-only');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

interface FloodResult {
  ackP50: number;
  ackP99: number;
  ackMax: number;
  limited: number;
  snapshots: number;
  snapshotKb: number;
  healthzP99: number;
  healthzMax: number;
}

const floodHeader = [
  're-subscribes of a streamed symbol',
  'acks',
  'p50 ms',
  'p99 ms',
  'max ms',
  'RATE_LIMITED',
  'snapshots',
  'KB each',
  '/healthz p99 ms',
  '/healthz max ms',
];
const floodRow = (label: string, r: FloodResult) => [
  label,
  RESUBSCRIBES,
  r.ackP50,
  r.ackP99,
  r.ackMax,
  r.limited,
  r.snapshots,
  r.snapshotKb,
  r.healthzP99,
  r.healthzMax,
];

/**
 * N subscribes of one already-streamed symbol while /healthz is polled: all sent at once (a
 * burst: the last ack waits for all before it) or one after the other's ack (each one's cost).
 */
async function flood(
  socket: Socket,
  healthz: string | undefined,
  mode: 'burst' | 'serial',
): Promise<FloodResult> {
  let snapshots = 0;
  let bytes = 0;
  socket.on('snapshot', (s: unknown) => {
    snapshots++;
    bytes += Buffer.byteLength(JSON.stringify(s));
  });
  const health: number[] = [];
  let polling = healthz !== undefined;
  const poller = (async () => {
    while (polling) {
      const t = performance.now();
      await fetch(healthz!).then((r) => r.text());
      health.push(performance.now() - t);
      await sleep(20);
    }
  })();
  const one = () => {
    const t = performance.now();
    return (socket.timeout(120_000).emitWithAck('subscribe', ['AAPL']) as Promise<SubscribeAck>).then(
      (ack) => ({
        ack,
        ms: performance.now() - t,
      }),
    );
  };
  const acks: { ack: SubscribeAck; ms: number }[] = [];
  if (mode === 'burst') acks.push(...(await Promise.all(Array.from({ length: RESUBSCRIBES }, one))));
  else for (let i = 0; i < RESUBSCRIBES; i++) acks.push(await one());
  polling = false;
  await poller;
  socket.off('snapshot');
  const ms = sorted(acks.map((a) => a.ms));
  const hs = sorted(health);
  return {
    ackP50: percentile(ms, 50),
    ackP99: percentile(ms, 99),
    ackMax: ms.at(-1) ?? NaN,
    limited: acks.filter((a) => !a.ack.ok && a.ack.error.code === 'RATE_LIMITED').length,
    snapshots,
    snapshotKb: snapshots > 0 ? bytes / snapshots / 1024 : 0,
    healthzP99: percentile(hs, 99),
    healthzMax: hs.at(-1) ?? NaN,
  };
}

async function main() {
  const bed = await kafkaTestbed('bench-subscribe');
  const producer = await typedProducer(bed);
  const gateways: ServiceProcess[] = [];
  const children: ChildProcess[] = [];
  const sockets: Socket[] = [];
  const env = isolatedEnv(bed.prefix, {
    RATE_SIGNUP_PER_IP: '100000',
    MARKET_STREAMS_PER_USER: '3',
    LOG_LEVEL: 'error',
  });
  let loading = false;
  let load: Promise<void> = Promise.resolve();
  try {
    // A full AAPL snapshot: 500 bars and a quote.
    await producer.send(
      'bars',
      Array.from({ length: SNAPSHOT_BARS }, (_, i) => ({
        key: 'AAPL',
        value: bar('AAPL', i, SNAPSHOT_BARS),
      })),
    );
    await producer.send('quotes', [{ key: 'AAPL', value: quote('AAPL', 100) }]);

    // (1) Re-subscribe flood: bare Socket.IO, the gateway as configured, the gateway without limit.
    const bare = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '../gateway/bare-server.ts'), 'AAPL', '100', '250'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(bare);
    const barePort = await new Promise<number>((resolve) =>
      bare.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
    );
    const bareSocket = io(`http://127.0.0.1:${barePort}`, { transports: ['websocket'], forceNew: true });
    sockets.push(bareSocket);
    await new Promise((r) => bareSocket.once('connect', () => r(undefined)));
    const bareResult = await flood(bareSocket, undefined, 'burst');
    const bareSerial = await flood(bareSocket, undefined, 'serial');
    bare.kill();

    gateways.push(await startService('gateway', env), await startService('gateway', env));
    const [g1, g2] = gateways.map((g) => `http://127.0.0.1:${g.port}`) as [string, string];
    const floodOn = async (base: string, mode: 'burst' | 'serial') => {
      const user = await signUp(base, 'flood');
      await api(base, 'POST', '/api/watchlists', { name: 'Main', symbols: ['AAPL'] }, user.accessToken);
      const socket = connectSocket(base, user.accessToken);
      sockets.push(socket);
      await connected(socket);
      let first = { bars: 0, bytes: 0 };
      socket.once('snapshot', (s: { bars: unknown[] }) => {
        first = { bars: s.bars.length, bytes: Buffer.byteLength(JSON.stringify(s)) };
      });
      await socket.timeout(10000).emitWithAck('subscribe', ['AAPL']);
      if (first.bars !== SNAPSHOT_BARS)
        throw new Error(`the first snapshot had ${first.bars} bars, not ${SNAPSHOT_BARS}`);
      return { ...(await flood(socket, `${base}/healthz`, mode)), firstKb: first.bytes / 1024 };
    };
    const limitedResult = await floodOn(g1, 'burst');
    if (FLOOD_ONLY) {
      const r = limitedResult;
      printTable([floodHeader, floodRow('gateway, default limit, burst', r)]);
      benchLine('subscribe', {
        resubscribes: RESUBSCRIBES,
        ack_p50_ms: r.ackP50,
        ack_p99_ms: r.ackP99,
        rate_limited: r.limited,
        snapshots: r.snapshots,
        snapshot_kb: r.firstKb,
        healthz_p99_ms: r.healthzP99,
      });
      return;
    }
    const lifted = await startService('gateway', { ...env, RATE_SOCKET_SUBSCRIBES: '1000000' });
    const liftedBase = `http://127.0.0.1:${lifted.port}`;
    const liftedResult = await floodOn(liftedBase, 'burst');
    const liftedSerial = await floodOn(liftedBase, 'serial');
    await lifted.stop();

    // (2) Removal of a watched symbol through g1; the user's sockets on g1 and g2 are told.
    const revokeMs: number[] = [];
    const revokeOwnMs: number[] = [];
    const user = await signUp(g1, 'revoke');
    const symbols = Array.from({ length: REVOKES }, (_, i) => `RV${i}`);
    const { body: list } = await api<{ id: string }>(
      g1,
      'POST',
      '/api/watchlists',
      { name: 'Revoke', symbols },
      user.accessToken,
    );
    const [s1, s2] = [connectSocket(g1, user.accessToken), connectSocket(g2, user.accessToken)];
    sockets.push(s1, s2);
    await Promise.all([connected(s1), connected(s2)]);
    for (const s of [s1, s2]) await s.timeout(10000).emitWithAck('subscribe', symbols);
    for (const symbol of symbols) {
      const told = (s: Socket) =>
        new Promise<number>((resolve) => s.once('unsubscribed', () => resolve(performance.now())));
      const [own, other] = [told(s1), told(s2)];
      const t = performance.now();
      await api(g1, 'DELETE', `/api/watchlists/${list.id}/symbols/${symbol}`, undefined, user.accessToken);
      revokeOwnMs.push((await own) - t);
      revokeMs.push((await other) - t);
      await sleep(50);
    }

    const revoke = sorted(revokeMs);
    const revokeOwn = sorted(revokeOwnMs);
    printTable([
      floodHeader,
      floodRow('bare Socket.IO, burst', bareResult),
      floodRow('gateway, default limit, burst', limitedResult),
      floodRow('gateway, limit lifted, burst', liftedResult),
      floodRow('bare Socket.IO, one at a time', bareSerial),
      floodRow('gateway, limit lifted, one at a time', liftedSerial),
    ]);
    console.log(
      `\n(the first subscribe's snapshot, ${SNAPSHOT_BARS} bars in ${limitedResult.firstKb.toFixed(1)} KB of JSON, is not counted)\n`,
    );
    printTable([
      ['symbol removed through replica 1', 'n', 'p50 ms', 'p99 ms', 'max ms'],
      [
        'unsubscribed on replica 1',
        REVOKES,
        percentile(revokeOwn, 50),
        percentile(revokeOwn, 99),
        revokeOwn.at(-1)!,
      ],
      ['unsubscribed on replica 2', REVOKES, percentile(revoke, 50), percentile(revoke, 99), revoke.at(-1)!],
    ]);
    console.log('\n(from sending the DELETE to the event on the socket)\n');

    // (3) A replica started under load: history in the topics, quotes flowing.
    for (let i = 0; i < HISTORY_BARS; i += 1000)
      await producer.send(
        'bars',
        Array.from({ length: Math.min(1000, HISTORY_BARS - i) }, (_, k) => {
          const symbol = `HB${(i + k) % 50}`;
          return { key: symbol, value: bar(symbol, Math.floor((i + k) / 50), HISTORY_BARS / 50) };
        }),
      );
    await api(g1, 'POST', `/api/watchlists/${list.id}/symbols`, { symbol: 'AAPL' }, user.accessToken);
    let seq = 0;
    loading = true;
    load = (async () => {
      while (loading) {
        seq++;
        await producer.send(
          'quotes',
          ['AAPL', ...Array.from({ length: 50 }, (_, i) => `HB${i}`)].map((s) => ({
            key: s,
            value: quote(s, 200 + seq / 1000),
          })),
        );
        await sleep(50);
      }
    })();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const t0 = performance.now();
    let healthyAt = NaN;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        if (
          Number.isNaN(healthyAt) &&
          (await fetch(`${base}/healthz`).then(
            (r) => r.ok,
            () => false,
          ))
        )
          healthyAt = performance.now() - t0;
        await sleep(20);
      }
    })();
    const replica = await startService('gateway', env, 'HTTP_PORT', port);
    gateways.push(replica);
    const readyAt = performance.now() - t0;
    const readySeq = seq;
    watching = false;
    await watcher;
    const socket = connectSocket(base, user.accessToken);
    sockets.push(socket);
    const freshAt = new Promise<number>((resolve) =>
      socket.on('quote', (q: Quote) => {
        if (q.bid_price > 200 + readySeq / 1000) resolve(performance.now() - t0);
      }),
    );
    await connected(socket);
    await socket.timeout(10000).emitWithAck('subscribe', ['AAPL']);
    const firstLiveQuote = await Promise.race([
      freshAt,
      eventually<number>(() => undefined, 30000, 'a live quote on the new replica'),
    ]);
    loading = false;
    await load;

    printTable([
      ['replica started under load', 'ms from spawn'],
      ['/healthz 200', healthyAt],
      ['/readyz 200', readyAt],
      ['first live AAPL quote on a socket there', firstLiveQuote],
    ]);
    console.log(
      `\n${HISTORY_BARS} bars of history on 50 symbols, 51 quotes every 50 ms; a socket connects and subscribes to AAPL once the replica is ready`,
    );
    benchLine('subscribe', {
      resubscribes: RESUBSCRIBES,
      ack_p50_ms: limitedResult.ackP50,
      ack_p99_ms: limitedResult.ackP99,
      rate_limited: limitedResult.limited,
      snapshots: limitedResult.snapshots,
      healthz_p99_ms: limitedResult.healthzP99,
      lifted_ack_p99_ms: liftedResult.ackP99,
      lifted_snapshots: liftedResult.snapshots,
      lifted_healthz_p99_ms: liftedResult.healthzP99,
      serial_ack_p99_ms: liftedSerial.ackP99,
      bare_serial_ack_p99_ms: bareSerial.ackP99,
      bare_ack_p99_ms: bareResult.ackP99,
      snapshot_kb: limitedResult.firstKb,
      revoke_p50_ms: percentile(revoke, 50),
      revoke_p99_ms: percentile(revoke, 99),
      ready_ms: readyAt,
      ready_to_quote_ms: firstLiveQuote - readyAt,
    });
  } finally {
    loading = false;
    await load.catch(() => undefined);
    for (const s of sockets) s.close();
    for (const c of children) c.kill();
    for (const g of gateways) await g.stop();
    await producer.disconnect();
    await bed.close();
  }
}

runBench(main);
