import net from 'node:net';

export type RelayMode =
  /** Pass bytes both ways. */
  | 'up'
  /** Close each new connection at once: the dependency is away. */
  | 'refuse'
  /** Accept connections and read what comes, never answer: the dependency hangs. */
  | 'swallow'
  /**
   * Deliver what the client sends, drop what the dependency answers: requests take effect, their
   * answers are lost (a write whose acknowledgement never arrives). Unlike the other modes it
   * applies to open connections too; back to 'up', answers flow again.
   */
  | 'mute';

export interface Relay {
  /** `target` with the relay's port. */
  url: string;
  mode: RelayMode;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/**
 * A TCP relay in front of a real dependency, to take it away from one client (refuse or hang)
 * while everything else keeps using it directly. The mode applies to connections opened after
 * it is set.
 */
export async function tcpRelay(target: URL, mode: RelayMode = 'up'): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  const state = { mode, connections: 0 };
  const server = net.createServer((client) => {
    state.connections++;
    sockets.add(client);
    client.on('error', () => client.destroy()).on('close', () => sockets.delete(client));
    if (state.mode === 'refuse') {
      client.destroy();
      return;
    }
    if (state.mode === 'swallow') {
      client.resume();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (state.mode !== 'mute') client.write(chunk);
    });
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target.href);
  url.port = String((server.address() as net.AddressInfo).port);
  return Object.assign(state, {
    url: url.href.replace(/\/$/, ''),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
