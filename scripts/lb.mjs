#!/usr/bin/env node
// A local TCP load balancer in front of the gateway replicas, for `npm run up -- --replicas N`:
// one address for the web client and its Socket.IO connection whichever gateways are alive.
//
//   node scripts/lb.mjs --port 8088 --targets 8080,8090
//
// Each new connection goes to the next target in turn; a target that refuses it (a dead
// gateway) is skipped for the next one, so clients of a killed gateway reconnect to a live one
// at once. TCP, not HTTP: WebSocket upgrades pass through untouched, and the web client uses
// the WebSocket transport only, so no stickiness is needed. Production uses the ingress instead.
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * Starts the balancer on `host:port` over `targets` (ports on `host`); resolves once listening.
 * `close()` stops listening and cuts every open connection.
 */
export async function startBalancer({ port, targets, host = '127.0.0.1', log = () => {} }) {
  if (targets.length === 0) throw new Error('the load balancer needs at least one target');
  const open = new Set();
  let next = 0;

  /** Connects to the first target, from the next in turn, that accepts; undefined if none. */
  const connectUpstream = async () => {
    const start = next;
    next = (next + 1) % targets.length;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(start + i) % targets.length];
      const upstream = await new Promise((resolve) => {
        const s = net.connect(target, host);
        s.once('connect', () => resolve(s));
        s.once('error', () => {
          s.destroy();
          resolve(undefined);
        });
      });
      if (upstream) return upstream;
    }
    return undefined;
  };

  const server = net.createServer((client) => {
    client.pause();
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    connectUpstream().then((upstream) => {
      if (!upstream) {
        log('no gateway accepted a connection');
        client.destroy();
        return;
      }
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      open.add(upstream);
      upstream.on('close', () => {
        open.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function cli() {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, targets: { type: 'string' }, host: { type: 'string' } },
  });
  const targets = (values.targets ?? '').split(',').filter(Boolean).map(Number);
  const port = Number(values.port);
  if (!Number.isInteger(port) || targets.some((t) => !Number.isInteger(t))) {
    throw new Error('usage: node scripts/lb.mjs --port 8088 --targets 8080,8090');
  }
  const log = (msg) => process.stderr.write(`[lb] ${new Date().toISOString()} ${msg}\n`);
  const lb = await startBalancer({ port, targets, host: values.host, log });
  log(`listening on :${lb.port}, balancing over ${targets.join(', ')}`);
  const stop = () => lb.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  cli().catch((err) => {
    console.error(`[lb] ${err.message}`);
    process.exit(1);
  });
}
