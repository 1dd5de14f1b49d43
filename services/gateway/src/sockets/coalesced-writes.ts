import type { Socket as NetSocket } from 'node:net';
import type { GatewayServer } from './server';

/** What of Engine.IO's transports this reads: `send` is the Transport class's own method. */
interface EngineTransport {
  name: string;
  send(packets: unknown[]): void;
  /** The `ws` WebSocket of a websocket transport, whose `_socket` is the TCP socket. */
  socket?: { _socket?: NetSocket };
}

interface EngineConnection {
  transport: EngineTransport;
  on(event: 'upgrade', listener: (transport: EngineTransport) => void): unknown;
}

/**
 * Writes the packets Engine.IO flushes together as one TCP write.
 *
 * A conflated flush sends each socket one packet per symbol it streams. Engine.IO writes the
 * first at once and queues the rest until that write completes, then hands the queue to the
 * transport, whose `ws` socket writes every frame with a syscall of its own: ten symbols cost
 * ten writes per socket per flush, the largest share of the gateway's CPU at thousands of
 * sockets. Corking the TCP socket while the transport sends a queue makes that one write of
 * all its frames. Neither Engine.IO nor `ws` batches frames across sends (ws corks only the
 * two halves of one frame), so this hooks the transport's `send`, per connection.
 */
export function coalesceWrites(io: GatewayServer): void {
  io.engine.on('connection', (conn: EngineConnection) => {
    corkBatches(conn.transport);
    conn.on('upgrade', corkBatches);
  });
}

function corkBatches(transport: EngineTransport): void {
  const tcp = transport.name === 'websocket' ? transport.socket?._socket : undefined;
  if (!tcp) return;
  const send = transport.send.bind(transport);
  transport.send = (packets) => {
    if (packets.length < 2) return send(packets);
    tcp.cork();
    try {
      send(packets);
    } finally {
      tcp.uncork();
    }
  };
}
