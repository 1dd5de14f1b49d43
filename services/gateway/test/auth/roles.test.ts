import { SignJWT } from 'jose';
import request from 'supertest';
import { runAdminCommand } from '../../src/cli/admin-commands';
import { PASSWORD, SECRET, bearer, harnessForFile, signUp } from '../http/harness';
import type { Account } from '../http/harness';

// Issue 13 §2: the role was taken from the token, so whoever held the (published) JWT key could
// sign `role: admin` for themselves, and a demoted admin stayed one until the token expired.
const h = harnessForFile();

const adminGet = (a: { accessToken: string }, userId: string) =>
  request(h.app).get(`/api/admin/risk-limits/${userId}`).set(bearer(a));

/** The caller's own token re-signed with the gateway's key, with `role` changed. */
async function resigned(a: Account, role: string): Promise<{ accessToken: string }> {
  const claims = JSON.parse(Buffer.from(a.accessToken.split('.')[1]!, 'base64url').toString()) as {
    sub: string;
    sid: string;
    iss: string;
    aud: string;
  };
  const accessToken = await new SignJWT({ role, sid: claims.sid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));
  return { accessToken };
}

describe('roles come from the database', () => {
  it('a validly signed token claiming admin grants a trader nothing', async () => {
    const trader = await signUp(h.app);
    const forged = await resigned(trader, 'admin');
    // The forged token is otherwise good: it authenticates as the trader.
    expect((await request(h.app).get('/api/me').set(bearer(forged))).body.role).toBe('trader');
    const res = await adminGet(forged, trader.id);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    const put = await request(h.app)
      .put(`/api/admin/risk-limits/${trader.id}`)
      .set(bearer(forged))
      .send({ limits: { maxOrderQty: 1_000_000 } });
    expect(put.status).toBe(403);
    expect(await h.db('risk_limits').where({ user_id: trader.id }).first()).toBeUndefined();
  });

  it('granting admin applies to the tokens the account already holds, on the next request', async () => {
    const a = await signUp(h.app);
    expect((await adminGet(a, a.id)).status).toBe(403);
    await runAdminCommand(h.db, ['grant', a.email]);
    expect((await adminGet(a, a.id)).status).toBe(200);
  });

  it('revoking admin takes effect on the next request, whatever the token claims', async () => {
    const a = await signUp(h.app);
    await runAdminCommand(h.db, ['grant', a.email]);
    const login = await request(h.app).post('/api/auth/login').send({ email: a.email, password: PASSWORD });
    const admin = { accessToken: login.body.accessToken as string };
    expect(JSON.parse(Buffer.from(admin.accessToken.split('.')[1]!, 'base64url').toString()).role).toBe(
      'admin',
    );
    expect((await adminGet(admin, a.id)).status).toBe(200);

    await runAdminCommand(h.db, ['revoke', a.email.toUpperCase()]);
    const after = await adminGet(admin, a.id);
    expect(after.status).toBe(403);
    expect(after.body.code).toBe('FORBIDDEN');
    expect((await request(h.app).get('/api/me').set(bearer(admin))).body.role).toBe('trader');
  });
});
