import type { BrokerKeysInfo } from '@tickstream/contracts';
import type { Knex } from 'knex';
import { maskKeyId, seal } from '@tickstream/platform';

export interface BrokerKeys {
  keyId: string;
  secretKey: string;
  paper: boolean;
}

interface CredentialRow {
  user_id: string;
  key_id_masked: string;
  ciphertext: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  key_version: string;
  paper: boolean;
  updated_at: Date;
}

/**
 * Seals and stores (or replaces) the user's keys. Only the order service ever opens them, to
 * trade (services/orders/src/alpaca/credentials.ts): the gateway writes, masks and deletes.
 */
export async function saveBrokerKeys(
  db: Knex,
  masterKey: Buffer,
  userId: string,
  keys: BrokerKeys,
): Promise<BrokerKeysInfo> {
  const sealed = seal(masterKey, userId, JSON.stringify({ keyId: keys.keyId, secretKey: keys.secretKey }));
  const [row] = (await db('broker_credentials')
    .insert({
      user_id: userId,
      key_id_masked: maskKeyId(keys.keyId),
      ciphertext: sealed.ciphertext,
      iv: sealed.iv,
      auth_tag: sealed.authTag,
      key_version: sealed.keyVersion,
      paper: keys.paper,
      updated_at: db.fn.now(),
    })
    .onConflict('user_id')
    .merge()
    .returning(['key_id_masked', 'paper', 'updated_at'])) as CredentialRow[];
  return info(row as CredentialRow);
}

export async function brokerKeysInfo(db: Knex, userId: string): Promise<BrokerKeysInfo | undefined> {
  const row = (await db('broker_credentials')
    .where({ user_id: userId })
    .first('key_id_masked', 'paper', 'updated_at')) as CredentialRow | undefined;
  return row && info(row);
}

/** Deletes the keys; an account trading through Alpaca falls back to the simulator with them. */
export async function deleteBrokerKeys(db: Knex, userId: string): Promise<boolean> {
  return db.transaction(async (trx) => {
    const deleted = await trx('broker_credentials').where({ user_id: userId }).delete();
    if (deleted > 0) await trx('users').where({ id: userId, broker: 'ALPACA' }).update({ broker: 'SIM' });
    return deleted > 0;
  });
}

function info(row: Pick<CredentialRow, 'key_id_masked' | 'paper' | 'updated_at'>): BrokerKeysInfo {
  return { keyIdMasked: row.key_id_masked, paper: row.paper, updatedAt: row.updated_at.toISOString() };
}
