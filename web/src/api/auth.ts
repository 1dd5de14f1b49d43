import type { Session, User } from '@tickstream/contracts';
import { ApiError, toApiError } from './errors';

// Per tab, not localStorage: refresh tokens are single use, and two tabs refreshing the same one
// would present a spent token and get the whole session revoked (REFRESH_REUSED).
const STORAGE_KEY = 'tickstream.session';
const REFRESH_MARGIN = 0.8;

interface Stored {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  user: User;
}

type Listener = (user: User | null) => void;

async function post(path: string, body: unknown, token?: string): Promise<Response> {
  try {
    return await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'cannot reach the server');
  }
}

/**
 * Holds the tab's tokens: signs up, logs in, refreshes ahead of expiry (one refresh at a time,
 * since each refresh token works once) and logs out. Everyone else asks it for a token.
 */
export class AuthSession {
  private stored: Stored | null;
  private refreshing: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly storage: Storage = sessionStorage) {
    const raw = storage.getItem(STORAGE_KEY);
    this.stored = raw ? (JSON.parse(raw) as Stored) : null;
    if (this.stored) this.schedule();
  }

  get user(): User | null {
    return this.stored?.user ?? null;
  }

  onChange(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async signUp(email: string, password: string, displayName?: string): Promise<void> {
    await this.start('/api/auth/signup', { email, password, ...(displayName ? { displayName } : {}) });
  }

  async logIn(email: string, password: string): Promise<void> {
    await this.start('/api/auth/login', { email, password });
  }

  async logOut(): Promise<void> {
    const token = this.stored?.accessToken;
    this.end();
    // The server revokes the session; a failure here must not keep the user signed in locally.
    if (token) await post('/api/auth/logout', {}, token).catch(() => undefined);
  }

  /** A token that is valid now: the current one, or a fresh one when it is about to expire. */
  async token(): Promise<string> {
    if (!this.stored) throw new ApiError(401, 'UNAUTHORIZED', 'you are signed out');
    if (Date.now() < this.stored.expiresAt - 5000) return this.stored.accessToken;
    return this.refresh();
  }

  /** Rotates the refresh token; concurrent callers share the one request. */
  refresh(): Promise<string> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  updateUser(user: User): void {
    if (!this.stored) return;
    this.save({ ...this.stored, user });
  }

  private async doRefresh(): Promise<string> {
    const current = this.stored;
    if (!current) throw new ApiError(401, 'UNAUTHORIZED', 'you are signed out');
    const res = await post('/api/auth/refresh', { refreshToken: current.refreshToken });
    if (!res.ok) {
      const err = await toApiError(res);
      // A refused refresh token will never work again; a network or server failure might.
      if (err.status === 401 || err.status === 400) this.end();
      throw err;
    }
    this.accept((await res.json()) as Session);
    return this.stored!.accessToken;
  }

  private async start(path: string, body: unknown): Promise<void> {
    const res = await post(path, body);
    if (!res.ok) throw await toApiError(res);
    this.accept((await res.json()) as Session);
  }

  private accept(s: Session): void {
    this.save({
      accessToken: s.accessToken,
      refreshToken: s.refreshToken,
      expiresAt: Date.now() + s.expiresIn * 1000,
      user: s.user,
    });
    this.schedule();
  }

  private save(next: Stored): void {
    const changedUser = JSON.stringify(next.user) !== JSON.stringify(this.stored?.user);
    this.stored = next;
    this.storage.setItem(STORAGE_KEY, JSON.stringify(next));
    if (changedUser) for (const fn of this.listeners) fn(next.user);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.stored) return;
    const lifetime = this.stored.expiresAt - Date.now();
    const delay = Math.max(1000, lifetime * REFRESH_MARGIN);
    this.timer = setTimeout(() => {
      this.refresh().catch(() => {
        // Retried on the next request or socket reconnect; a revoked session already signed out.
      });
    }, delay);
  }

  private end(): void {
    clearTimeout(this.timer);
    this.stored = null;
    this.storage.removeItem(STORAGE_KEY);
    for (const fn of this.listeners) fn(null);
  }
}
