import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { TEST_ENV } from '../../../../test/support/env';
import { runAdminCommand } from '../../src/cli/admin-commands';
import { harnessForFile, signUp, uniqueEmail } from '../http/harness';

const ROOT = path.resolve(__dirname, '../../../..');

const h = harnessForFile();

const roleOf = async (id: string) =>
  ((await h.db('users').where({ id }).first('role')) as { role: string }).role;

describe('npm run admin', () => {
  it('grants and revokes the admin role by email, in any case, and lists admins', async () => {
    const a = await signUp(h.app);
    expect(await runAdminCommand(h.db, ['grant', a.email.toUpperCase()])).toBe(
      `${a.email} is now an admin (was trader); effective on its next request`,
    );
    expect(await roleOf(a.id)).toBe('admin');
    expect(await runAdminCommand(h.db, ['grant', a.email])).toBe(`${a.email} is already an admin`);
    expect((await runAdminCommand(h.db, ['list'])).split('\n')).toContainEqual(
      expect.stringContaining(`${a.email}  ${a.id}`),
    );

    expect(await runAdminCommand(h.db, ['revoke', ` ${a.email} `])).toBe(
      `${a.email} is now a trader (was admin); effective on its next request`,
    );
    expect(await roleOf(a.id)).toBe('trader');
    expect(await runAdminCommand(h.db, ['list'])).not.toContain(a.email);
  });

  it('refuses an unknown email and bad usage with typed errors', async () => {
    await expect(runAdminCommand(h.db, ['grant', uniqueEmail('nobody')])).rejects.toMatchObject({
      code: 'USER_NOT_FOUND',
    });
    for (const argv of [
      [],
      ['grant'],
      ['promote', 'x@example.test'],
      ['grant', 'a@example.test', 'b'],
      ['list', 'x'],
    ])
      await expect(runAdminCommand(h.db, argv)).rejects.toMatchObject({ code: 'USAGE' });
  });

  // The built entry point, as an operator runs it in the image (npm run admin runs the same
  // source through tsx); building first is what `npm test` does.
  it('runs as a command: prints the change, exits 1 naming the error', async () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'services/gateway/dist/cli/admin.js'), ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, DATABASE_URL: TEST_ENV.DATABASE_URL },
        encoding: 'utf8',
      });
    const a = await signUp(h.app);
    const ok = run('grant', a.email);
    expect({ status: ok.status, stdout: ok.stdout, stderr: ok.stderr }).toEqual({
      status: 0,
      stdout: `${a.email} is now an admin (was trader); effective on its next request\n`,
      stderr: '',
    });
    expect(await roleOf(a.id)).toBe('admin');
    const missing = run('revoke', uniqueEmail('nobody'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^\[USER_NOT_FOUND\] no account with email /);
  });
});
