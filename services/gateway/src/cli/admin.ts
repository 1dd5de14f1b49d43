// `npm run admin -- grant|revoke|list`: the operator's way to make an account an admin (or a
// trader again). Inside the image: node services/gateway/dist/cli/admin.js grant EMAIL.
import { commonEnv, createDatabase, loadConfig, runCli } from '@tickstream/platform';
import { ADMIN_USAGE, runAdminCommand } from './admin-commands';

runCli(ADMIN_USAGE, async (argv) => {
  const { DATABASE_URL } = loadConfig({ DATABASE_URL: commonEnv.DATABASE_URL });
  const db = createDatabase(DATABASE_URL, { max: 1 });
  try {
    console.log(await runAdminCommand(db, argv));
  } finally {
    await db.destroy();
  }
});
