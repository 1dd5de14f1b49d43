import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError, TickstreamError } from '../errors';

/** Label of the master key a row was sealed with; a rotation adds v2 and re-seals rows lazily. */
export const KEY_VERSION = 'v1';

export interface Sealed {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyVersion: string;
}

/**
 * Reads BROKER_KEYS_MASTER_KEY (base64 of exactly 32 random bytes, e.g. `openssl rand -base64 32`).
 *
 * @example
 *   const masterKey = parseMasterKey(process.env.BROKER_KEYS_MASTER_KEY ?? '');
 */
export function parseMasterKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32 || key.toString('base64') !== base64.trim()) {
    throw new ConfigError(
      'BROKER_KEYS_MASTER_KEY must be the base64 of exactly 32 bytes (openssl rand -base64 32)',
    );
  }
  return key;
}

// Binding the owner into the tag means a row copied onto another account fails to open instead
// of handing that account someone else's broker credentials.
const aad = (userId: string, version: string) =>
  Buffer.from(`tickstream/broker-keys/${version}/${userId}`, 'utf8');

/**
 * AES-256-GCM with a fresh 96-bit IV per write; the user id is authenticated, not encrypted.
 * Shared by the gateway (which stores broker keys) and the order service (which uses them).
 *
 * @example
 *   const sealed = seal(masterKey, userId, JSON.stringify({ keyId, secretKey }));
 */
export function seal(masterKey: Buffer, userId: string, plaintext: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(aad(userId, KEY_VERSION));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { ciphertext, iv, authTag: cipher.getAuthTag(), keyVersion: KEY_VERSION };
}

/**
 * Throws BROKER_KEYS_UNREADABLE when the key, the owner or any byte of the row does not match.
 *
 * @example
 *   const clear = open(masterKey, userId, { ciphertext, iv, authTag, keyVersion });
 */
export function open(masterKey: Buffer, userId: string, sealed: Sealed): string {
  if (sealed.keyVersion !== KEY_VERSION) {
    throw new TickstreamError(
      'BROKER_KEYS_UNREADABLE',
      `broker keys sealed with unknown key version ${sealed.keyVersion}`,
    );
  }
  try {
    // A fixed tag length: otherwise Node accepts a truncated tag, which is far easier to forge.
    const decipher = createDecipheriv('aes-256-gcm', masterKey, sealed.iv, { authTagLength: 16 });
    decipher.setAAD(aad(userId, sealed.keyVersion));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch (err) {
    throw new TickstreamError('BROKER_KEYS_UNREADABLE', 'broker keys failed authentication', { cause: err });
  }
}

/**
 * Enough of a key id to recognise it, not to use it.
 *
 * @example
 *   maskKeyId('PKAB12CD34EF56GHWXYZ'); // 'PK****WXYZ'
 */
export function maskKeyId(keyId: string): string {
  return `${keyId.slice(0, 2)}****${keyId.slice(-4)}`;
}
