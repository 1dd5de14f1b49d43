import { AuthSession } from '../../src/api/auth';
import { ApiClient } from '../../src/api/client';

/** An API client for store tests that never reaches a server: each call fails as offline. */
export function offlineApi(): ApiClient {
  const storage = new Map<string, string>();
  const memory = {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
    removeItem: (k: string) => void storage.delete(k),
  } as unknown as Storage;
  return new ApiClient(new AuthSession(memory));
}
