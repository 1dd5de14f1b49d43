import type { Knex } from 'knex';
import { TickstreamError } from '@tickstream/platform';
import { listAdmins, setRole } from '../accounts/roles';

export const ADMIN_USAGE = `usage: npm run admin -- COMMAND   (accounts in DATABASE_URL)
  grant EMAIL     make the account an admin (admin API: risk limits, kill switch)
  revoke EMAIL    make the account a trader again; effective on its next request
  list            every admin account`;

const UNDEFINED_TABLE = '42P01';

/** Runs one `npm run admin` command against `db` and returns what to print. */
export async function runAdminCommand(db: Knex, argv: readonly string[]): Promise<string> {
  const [command, email, ...extra] = argv;
  if (extra.length > 0) throw new TickstreamError('USAGE', `unexpected argument ${extra[0]}`);
  try {
    switch (command) {
      case 'grant':
      case 'revoke': {
        if (!email) throw new TickstreamError('USAGE', `${command} needs the account's EMAIL`);
        const change = await setRole(db, email, command === 'grant' ? 'admin' : 'trader');
        if (change.before === change.after) return `${change.email} is already ${article(change.after)}`;
        return `${change.email} is now ${article(change.after)} (was ${change.before}); effective on its next request`;
      }
      case 'list': {
        if (email) throw new TickstreamError('USAGE', 'list takes no argument');
        const admins = await listAdmins(db);
        return admins.length === 0
          ? 'no admin accounts (npm run admin -- grant EMAIL)'
          : admins.map((a) => `${a.email}  ${a.id}  since ${a.createdAt.toISOString()}`).join('\n');
      }
      default:
        throw new TickstreamError('USAGE', command ? `unknown command ${command}` : 'no command given');
    }
  } catch (err) {
    if ((err as { code?: string }).code === UNDEFINED_TABLE)
      throw new TickstreamError(
        'DATABASE_NOT_PROVISIONED',
        'the database has no accounts table: start the platform (npm run up) or run provisioning first',
        { cause: err },
      );
    throw err;
  }
}

const article = (role: string) => (role === 'admin' ? 'an admin' : 'a trader');
