import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2 defaults to argon2id with OWASP's minimum (19 MiB, t=2, p=1); its Algorithm
// enum is a `const enum`, which SWC cannot inline, so the default is relied on and a test checks
// the stored hash says argon2id.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummy: Promise<string> | undefined;

/**
 * Checks `password` against `storedHash`; with no hash (unknown email) it verifies against a
 * dummy so both failures cost the same argon2 time and the answer time does not reveal which
 * emails have accounts.
 */
export async function checkPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (storedHash === undefined) {
    dummy ??= hashPassword('dummy-password-never-matches');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
