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
