// One client process of bench/gateway: connects its share of the Socket.IO clients, subscribes
// each, then counts the quotes they receive and their age (now - ingest_time) while told to.
// Driven by main.ts over IPC, so the clients' own CPU is not the bench process's (or the
// server's) and several processes share the load.
import type { Quote } from '@tickstream/contracts';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';

export interface ClientSpec {
  token?: string;
  symbols: string[];
}

export type ToClients =
  | { cmd: 'connect'; url: string; clients: ClientSpec[] }
  | { cmd: 'count' }
  | { cmd: 'stop' }
  | { cmd: 'close' };

export type FromClients =
  | { kind: 'connected'; count: number }
  | { kind: 'counted'; delivered: number; latencyMs: number[] }
  | { kind: 'error'; message: string };

/** Latencies are kept as counts per millisecond, so a report is small whatever the rate. */
const MAX_MS = 60_000;
let counts = new Array<number>(MAX_MS + 1).fill(0);
let delivered = 0;
let counting = false;
let sockets: Socket[] = [];

const send = (m: FromClients) => process.send!(m);

function connectOne(url: string, spec: ClientSpec): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, {
      transports: ['websocket'],
      auth: spec.token ? { token: spec.token } : {},
      reconnection: false,
      forceNew: true,
      // Thousands of handshakes on a loaded two-core machine take longer than the default 20 s.
      timeout: 120_000,
    });
    s.once('connect_error', reject);
    s.once('connect', () => {
      s.timeout(60_000).emit('subscribe', spec.symbols, (err: Error | null, ack: { ok: boolean }) =>
        err || !ack.ok ? reject(err ?? new Error(JSON.stringify(ack))) : resolve(s),
      );
    });
    s.on('quote', (q: Quote) => {
      if (!counting) return;
      delivered++;
      counts[Math.min(MAX_MS, Math.max(0, Date.now() - q.ingest_time))]!++;
    });
  });
}

async function connectAll(url: string, specs: ClientSpec[]): Promise<void> {
  // A hundred handshakes at a time per process: thousands at once only time out.
  for (let i = 0; i < specs.length; i += 100) {
    sockets.push(...(await Promise.all(specs.slice(i, i + 100).map((s) => connectOne(url, s)))));
  }
}

// The bench went away (it failed, or was stopped): nothing left to report to.
process.on('disconnect', () => process.exit(0));

process.on('message', (m: ToClients) => {
  switch (m.cmd) {
    case 'connect':
      connectAll(m.url, m.clients).then(
        () => send({ kind: 'connected', count: sockets.length }),
        (err: Error) => send({ kind: 'error', message: `${err.message} (${sockets.length} connected)` }),
      );
      break;
    case 'count':
      counts = counts.fill(0);
      delivered = 0;
      counting = true;
      break;
    case 'stop':
      counting = false;
      send({ kind: 'counted', delivered, latencyMs: counts });
      break;
    case 'close':
      for (const s of sockets) s.close();
      sockets = [];
      process.exit(0);
  }
});
