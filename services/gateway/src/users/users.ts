import type { Knex } from 'knex';
import type { BrokerKind, Role, User } from '@tickstream/contracts';
import { ConflictError, NotFoundError } from '../request/errors';

export type { Role };
export type Broker = BrokerKind;
/** What the API shows of an account (the contract's `User`): never the password hash. */
export type PublicUser = User;

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  display_name: string | null;
  role: Role;
  broker: Broker;
  created_at: Date;
}

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    broker: row.broker,
    createdAt: row.created_at.toISOString(),
  };
}

const UNIQUE_VIOLATION = '23505';

export async function createUser(
  db: Knex,
  input: { email: string; passwordHash: string; displayName?: string | undefined },
): Promise<UserRow> {
  try {
    const [row] = await db('users')
      .insert({
        email: input.email,
        password_hash: input.passwordHash,
        display_name: input.displayName ?? null,
      })
      .returning('*');
    return row as UserRow;
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION)
      throw new ConflictError('EMAIL_TAKEN', 'an account with this email already exists');
    throw err;
  }
}

/** Case-insensitive, matching the unique index on lower(email). */
export async function findUserByEmail(db: Knex, email: string): Promise<UserRow | undefined> {
  return db('users').whereRaw('lower(email) = lower(?)', [email]).first();
}

export async function getUser(db: Knex, id: string): Promise<UserRow> {
  const row = (await db('users').where({ id }).first()) as UserRow | undefined;
  if (!row) throw new NotFoundError('user');
  return row;
}

/** Live trading needs stored broker keys; paper trading on the simulator needs nothing. */
export async function setBroker(db: Knex, userId: string, broker: Broker): Promise<UserRow> {
  return db.transaction(async (trx) => {
    if (broker === 'ALPACA') {
      const keys = await trx('broker_credentials').where({ user_id: userId }).forShare().first('user_id');
      if (!keys)
        throw new ConflictError('BROKER_KEYS_REQUIRED', 'store your Alpaca keys before choosing ALPACA');
    }
    const [row] = await trx('users').where({ id: userId }).update({ broker }).returning('*');
    if (!row) throw new NotFoundError('user');
    return row as UserRow;
  });
}
