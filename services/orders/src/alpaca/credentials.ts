import type { Knex } from 'knex';
import { TickstreamError, openSealed } from '@tickstream/platform';
import type { AlpacaKeys } from './client';

interface CredentialRow {
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  key_version: string;
}

/**
 * The account's Alpaca keys, decrypted in memory only: the one reader of broker_credentials (the
 * gateway seals and stores them with the same master key and never opens them); null when none
 * are stored. Throws BROKER_KEYS_UNREADABLE when the row fails authentication. Never log the result.
 */
export async function loadAlpacaKeys(
  db: Knex,
  masterKey: Buffer,
  accountId: string,
): Promise<AlpacaKeys | null> {
  const row = (await db('broker_credentials').where({ user_id: accountId }).first()) as
    CredentialRow | undefined;
  if (!row) return null;
  const clear = openSealed(masterKey, accountId, {
    ciphertext: row.ciphertext,
    iv: row.iv,
    authTag: row.auth_tag,
    keyVersion: row.key_version,
  });
  const parsed = JSON.parse(clear) as { keyId?: unknown; secretKey?: unknown };
  if (typeof parsed.keyId !== 'string' || typeof parsed.secretKey !== 'string') {
    throw new TickstreamError('BROKER_KEYS_UNREADABLE', 'stored broker keys have an unexpected shape');
  }
  return { keyId: parsed.keyId, secretKey: parsed.secretKey };
}
