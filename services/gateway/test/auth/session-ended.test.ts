import { randomBytes, randomUUID } from 'node:crypto';
import { createDatabase } from '@tickstream/platform';
import { TEST_ENV } from '../../../../test/support/env';
import { createUser } from '../../src/users';
import type { SessionEnded } from '../../src/auth';
import { createTokenService } from '../../src/auth';

// Sockets check the access token only at their handshake: the token service tells the gateway
// when a session ends early, so it can close them (issue 13, part 4).
describe('token service: onSessionEnded', () => {
  const db = createDatabase(TEST_ENV.DATABASE_URL, { max: 2 });
  const ended: SessionEnded[] = [];
  const tokens = createTokenService({
    secret: randomBytes(48).toString('base64'),
    accessTtlSec: 900,
    refreshTtlSec: 3600,
    db,
    onSessionEnded: (e) => {
      ended.push(e);
    },
  });

  afterAll(() => db.destroy());
  beforeEach(() => {
    ended.length = 0;
  });

  const user = () =>
    createUser(db, {
      email: `ended-${randomUUID()}@example.test`,
      passwordHash: 'x',
      displayName: undefined,
    });

  it('tells a logout, after the session is revoked', async () => {
    const u = await user();
    const pair = await tokens.issue(u);
    const { sessionId } = await tokens.verifyAccess(pair.accessToken);
    await tokens.revokeFamily(u.id, sessionId);
    expect(ended).toEqual([{ userId: u.id, sessionId, reason: 'logout' }]);
    await expect(tokens.verifyAccess(pair.accessToken)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });

  it('tells a session revoked because a spent refresh token came back', async () => {
    const u = await user();
    const pair = await tokens.issue(u);
    const { sessionId } = await tokens.verifyAccess(pair.accessToken);
    await tokens.rotate(pair.refreshToken);
    expect(ended).toEqual([]);
    await expect(tokens.rotate(pair.refreshToken)).rejects.toMatchObject({ code: 'REFRESH_REUSED' });
    expect(ended).toEqual([{ userId: u.id, sessionId, reason: 'session_revoked' }]);
  });

  it('tells nothing for an unknown or expired refresh token', async () => {
    await expect(tokens.rotate('not-a-token')).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    expect(ended).toEqual([]);
  });
});
