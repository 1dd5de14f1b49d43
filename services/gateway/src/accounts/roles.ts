import type { Knex } from 'knex';
import { TickstreamError } from '@tickstream/platform';
import type { Role } from '../users';

export interface RoleChange {
  userId: string;
  email: string;
  before: Role;
  after: Role;
}

/**
 * Sets the role of the account with `email` (any case). Takes effect on the account's next
 * request: the gateway reads the role from this table on every authenticated request, whatever
 * its access token claims.
 *
 * @example
 *   const change = await setRole(db, 'ops@example.com', 'admin');
 */
export async function setRole(db: Knex, email: string, role: Role): Promise<RoleChange> {
  return db.transaction(async (trx) => {
    const row = (await trx('users')
      .whereRaw('lower(email) = lower(?)', [email.trim()])
      .forUpdate()
      .first('id', 'email', 'role')) as { id: string; email: string; role: Role } | undefined;
    if (!row) throw new TickstreamError('USER_NOT_FOUND', `no account with email ${email.trim()}`);
    if (row.role !== role) await trx('users').where({ id: row.id }).update({ role });
    return { userId: row.id, email: row.email, before: row.role, after: role };
  });
}

/** Every admin account, by email. */
export async function listAdmins(db: Knex): Promise<{ id: string; email: string; createdAt: Date }[]> {
  const rows = (await db('users')
    .where({ role: 'admin' })
    .orderBy('email')
    .select('id', 'email', 'created_at')) as { id: string; email: string; created_at: Date }[];
  return rows.map((r) => ({ id: r.id, email: r.email, createdAt: r.created_at }));
}
