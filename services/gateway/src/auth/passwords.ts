import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

// @node-rs/argon2 defaults to argon2id with OWASP's minimum (19 MiB, t=2, p=1); its Algorithm
// enum is a `const enum`, which SWC cannot inline, so the default is relied on and a test checks
// the stored hash says argon2id.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 10;
// argon2 accepts any length; the cap keeps one request from costing seconds of hashing.
export const PASSWORD_MAX = 128;

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `at most ${PASSWORD_MAX} characters`)
  .refine((p) => new Set(p).size >= 4, { message: 'use at least 4 different characters' });

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
