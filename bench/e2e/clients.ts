// Socket.IO users of the gateway: each signs up, keeps one watchlist and holds one market stream
// (the gateway allows one per user by default), and records tick-to-client latency of every
// quote and trade it receives.
import type { Quote, Trade } from '@tickstream/contracts';
import type { ClientSocket } from '../../test/support/gateway-client';
import { api, connectSocket, connected, signUp } from '../../test/support/gateway-client';

export interface ClientGroup {
  /** Milliseconds from the record's ingest_time to its arrival, while recording. */
  latencies: number[];
  received: number;
  recording: boolean;
  close(): Promise<void>;
}

interface User {
  token: string;
  watchlistId: string;
}

/**
 * `count` users, user i on gateway `bases[i % bases.length]` (its sign-up, watchlist and socket),
 * each subscribed to `perClient` of `symbols`.
 */
export async function openClients(
  bases: readonly string[],
  count: number,
  perClient: number,
  symbols: readonly string[],
  label: string,
): Promise<ClientGroup> {
  const symbolsOf = (i: number) =>
    Array.from(
      { length: Math.min(perClient, symbols.length, 50) },
      (_, k) => symbols[(i * perClient + k) % symbols.length]!,
    );
  const baseOf = (i: number) => bases[i % bases.length]!;
  const users: User[] = [];
  // Batches of 10: sign-up hashes with argon2id, which would starve the gateway if all came at once.
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, async (_, k) => {
        const base = baseOf(i + k);
        const u = await signUp(base, `${label}${i + k}`);
        const { body } = await api<{ id: string }>(
          base,
          'POST',
          '/api/watchlists',
          { name: 'Bench', symbols: [...new Set(symbolsOf(i + k))] },
          u.accessToken,
        );
        return { token: u.accessToken, watchlistId: body.id };
      }),
    );
    users.push(...batch);
  }
  const group: ClientGroup = { latencies: [], received: 0, recording: false, close: async () => undefined };
  const onTick = (r: Quote | Trade) => {
    if (!group.recording) return;
    group.received++;
    group.latencies.push(Date.now() - r.ingest_time);
  };
  const sockets: ClientSocket[] = await Promise.all(
    users.map(async (u, i) => {
      const s = connectSocket(baseOf(i), u.token);
      await connected(s);
      const ack = await new Promise<{ ok: boolean }>((resolve) =>
        s.emit('subscribe', [...new Set(symbolsOf(i))], resolve),
      );
      if (!ack.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
      s.on('quote', onTick);
      s.on('trade', onTick);
      return s;
    }),
  );
  group.close = async () => {
    for (const s of sockets) s.close();
    // Dropping the watchlists withdraws their demand, so the next ingest does not follow them.
    await Promise.all(
      users.map((u, i) =>
        api(baseOf(i), 'DELETE', `/api/watchlists/${u.watchlistId}`, undefined, u.token).catch(() => undefined),
      ),
    );
  };
  return group;
}
