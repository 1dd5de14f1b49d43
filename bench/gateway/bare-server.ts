// The baseline of bench/gateway: a bare Socket.IO server that emits the same conflated quote
// stream (same symbols, rate and interval) to the same clients, with no Kafka, no auth and no
// snapshot logic. Started as a child process by main.ts; prints its port on stdout, streams while
// told to on stdin ('start', 'stop' lines), as the gateway only gets quotes while the bench
// produces them (connecting thousands of clients to a server already streaming to the first
// ones only times out on a two-core machine).
import http from 'node:http';
import type { Quote } from '@tickstream/contracts';
import { Server } from 'socket.io';
import { benchQuote } from './quote-stream';

const [symbolsArg, rateArg, intervalArg] = process.argv.slice(2);
const symbols = (symbolsArg ?? '').split(',');
const rate = Number(rateArg);
const interval = Number(intervalArg);

const server = http.createServer();
const io = new Server(server, { serveClient: false });
io.on('connection', (socket) => {
  socket.on('subscribe', (list: string[], ack: (r: unknown) => void) => {
    for (const s of list) void socket.join(`sym:${s}`);
    ack({ ok: true, symbols: list });
  });
});

let streaming = false;
process.stdin.setEncoding('utf8').on('data', (d: string) => {
  if (d.includes('start')) streaming = true;
  if (d.includes('stop')) streaming = false;
});

const latest = new Map<string, Quote>();
let i = 0;
// Quotes arrive in slices every 10 ms so the input rate matches the gateway run.
setInterval(() => {
  if (!streaming) return;
  const n = Math.round(rate / 100);
  for (let k = 0; k < n; k++, i++) {
    const symbol = symbols[i % symbols.length]!;
    latest.set(symbol, benchQuote(symbol, i, Date.now()));
  }
}, 10);
setInterval(() => {
  for (const [symbol, q] of latest) io.to(`sym:${symbol}`).emit('quote', q);
  latest.clear();
}, interval);

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
