import type { ClientToServerEvents, ServerToClientEvents } from '@tickstream/contracts';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Calls the gateway's REST API as a user would; throws with the body on an unexpected status. */
export async function api<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  expect = [200, 201, 202, 204],
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const parsed = (text ? JSON.parse(text) : undefined) as T;
  if (!expect.includes(res.status)) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function signUp(
  base: string,
  label: string,
): Promise<{ accessToken: string; refreshToken: string; user: { id: string; email: string } }> {
  const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const { body } = await api<{
    accessToken: string;
    refreshToken: string;
    user: { id: string; email: string };
  }>(base, 'POST', '/api/auth/signup', {
    email,
    password: 'correct horse battery staple',
  });
  return body;
}

/** Signs up a user labelled `label` with a watchlist per entry of `lists`; returns the list ids by name. */
export async function signUpWithWatchlists(
  base: string,
  label: string,
  lists: Record<string, string[]>,
): Promise<{ user: Awaited<ReturnType<typeof signUp>>; ids: Record<string, string> }> {
  const user = await signUp(base, label);
  const ids: Record<string, string> = {};
  for (const [name, symbols] of Object.entries(lists)) {
    const { body } = await api<{ id: string }>(
      base,
      'POST',
      '/api/watchlists',
      { name, symbols },
      user.accessToken,
    );
    ids[name] = body.id;
  }
  return { user, ids };
}

export function connectSocket(base: string, token: string | undefined): ClientSocket {
  return io(base, {
    path: '/socket.io',
    auth: token ? { token } : {},
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
}

export function connected(socket: ClientSocket, timeoutMs = 10000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('socket did not connect')), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(t);
      resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(t);
      reject(err);
    });
  });
}

/**
 * A user signed up with a watchlist of `symbols`, on a socket that is connected and subscribed
 * to them (the subscription acknowledged in full).
 */
export async function subscribedUser(
  base: string,
  label: string,
  symbols: string[],
): Promise<{ user: Awaited<ReturnType<typeof signUp>>; socket: ClientSocket }> {
  const { user } = await signUpWithWatchlists(base, label, { Main: symbols });
  const socket = connectSocket(base, user.accessToken);
  try {
    await connected(socket);
    expect(await socket.timeout(5000).emitWithAck('subscribe', symbols)).toEqual({ ok: true, symbols });
  } catch (err) {
    socket.close();
    throw err;
  }
  return { user, socket };
}
