import type { GatewayServer } from '../sockets/server';

/** The room of the sockets conflated updates skip until their buffers drain. */
export const SLOW_ROOM = 'slow-clients';

/** What of an Engine.IO connection the policy reads (its write buffer is not in its types). */
interface EngineConnection {
  writeBuffer: unknown[];
  on(event: 'packetCreate', listener: () => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * Marks slow sockets as it happens rather than by scanning every socket: Engine.IO queues a
 * socket's packets in its `writeBuffer` while the transport is busy writing the previous ones
 * (a slow network, a full TCP window) and announces each new one ('packetCreate'). When that
 * queue holds `maxBufferedPackets`, the socket joins SLOW_ROOM, which conflated emits skip;
 * the next time the queue is handed to the transport ('drain'), it leaves. A flush costs
 * O(slow sockets) (the emits' `except`), a packet one length check.
 */
export function trackSlowSockets(io: GatewayServer, maxBufferedPackets: number): void {
  io.on('connection', (socket) => {
    const conn = socket.conn as unknown as EngineConnection;
    conn.on('packetCreate', () => {
      // Emitted before the packet is queued: one more is about to be added.
      if (conn.writeBuffer.length < maxBufferedPackets || socket.rooms.has(SLOW_ROOM)) return;
      void socket.join(SLOW_ROOM);
      conn.once('drain', () => void socket.leave(SLOW_ROOM));
    });
  });
}

/** How many sockets of `room` are in SLOW_ROOM, iterating the (small) slow room. */
export function slowIn(io: GatewayServer, room: ReadonlySet<string>): number {
  const slow = io.sockets.adapter.rooms.get(SLOW_ROOM);
  if (!slow) return 0;
  let n = 0;
  for (const id of slow) if (room.has(id)) n++;
  return n;
}
