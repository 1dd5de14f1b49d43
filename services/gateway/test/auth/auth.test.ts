import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SignJWT } from 'jose';
import { createTokenService } from '../../src/auth';
import { PASSWORD, SECRET, bearer, harnessForFile, signUp, uniqueEmail } from '../http/harness';

const h = harnessForFile();

describe('sign-up and login', () => {
  it('creates an account with an argon2id hash and returns a session', async () => {
    const email = uniqueEmail();
    const res = await request(h.app)
      .post('/api/auth/signup')
      .send({ email: email.toUpperCase(), password: PASSWORD, displayName: ' Ada ' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
      user: {
        id: expect.any(String),
        email,
        displayName: 'Ada',
        role: 'trader',
        broker: 'SIM',
        createdAt: expect.any(String),
      },
    });
    const row = await h.db('users').where({ id: res.body.user.id }).first();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(res.body)).not.toContain(row.password_hash);
  });

  it('refuses a weak password and a taken email (any case)', async () => {
    const weak = await request(h.app)
      .post('/api/auth/signup')
      .send({ email: uniqueEmail(), password: 'aaaaaaaaaaaa' });
    expect(weak.status).toBe(400);
    const a = await signUp(h.app);
    const dup = await request(h.app)
      .post('/api/auth/signup')
      .send({ email: a.email.toUpperCase(), password: PASSWORD });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('EMAIL_TAKEN');
  });

  it('logs in case-insensitively and answers unknown email and wrong password alike', async () => {
    const a = await signUp(h.app);
    const ok = await request(h.app)
      .post('/api/auth/login')
      .send({ email: a.email.toUpperCase(), password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(a.id);

    const wrong = await request(h.app)
      .post('/api/auth/login')
      .send({ email: a.email, password: 'wrong password!' });
    const unknown = await request(h.app)
      .post('/api/auth/login')
      .send({ email: uniqueEmail(), password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });
});

describe('refresh tokens', () => {
  it('rotates: the new token works once, the old one no longer', async () => {
    const a = await signUp(h.app);
    const first = await request(h.app).post('/api/auth/refresh').send({ refreshToken: a.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(a.refreshToken);
    expect(first.body.user.id).toBe(a.id);
    const me = await request(h.app).get('/api/me').set(bearer(first.body));
    expect(me.status).toBe(200);

    const stored = await h.db('refresh_tokens').where({ user_id: a.id });
    expect(stored.map((r) => r.token_hash)).not.toContain(a.refreshToken);
  });

  it('revokes the whole family when a spent token is presented again', async () => {
    const a = await signUp(h.app);
    const rotated = await request(h.app).post('/api/auth/refresh').send({ refreshToken: a.refreshToken });
    expect(rotated.status).toBe(200);

    const replay = await request(h.app).post('/api/auth/refresh').send({ refreshToken: a.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('REFRESH_REUSED');

    // The thief's replay also ends the legitimate holder's session.
    const legit = await request(h.app)
      .post('/api/auth/refresh')
      .send({ refreshToken: rotated.body.refreshToken });
    expect(legit.status).toBe(401);
    const access = await request(h.app).get('/api/me').set(bearer(rotated.body));
    expect(access.status).toBe(401);
    // Another session of the same user is untouched.
    const other = await request(h.app).post('/api/auth/login').send({ email: a.email, password: PASSWORD });
    expect((await request(h.app).get('/api/me').set(bearer(other.body))).status).toBe(200);
  });

  it('refuses an unknown or expired refresh token', async () => {
    expect((await request(h.app).post('/api/auth/refresh').send({ refreshToken: 'nope' })).status).toBe(401);
    const a = await signUp(h.app);
    await h
      .db('refresh_tokens')
      .where({ user_id: a.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const res = await request(h.app).post('/api/auth/refresh').send({ refreshToken: a.refreshToken });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_EXPIRED');
  });

  it('logout revokes the refresh family and the access token with it', async () => {
    const a = await signUp(h.app);
    expect((await request(h.app).post('/api/auth/logout').set(bearer(a))).status).toBe(204);
    expect(
      (await request(h.app).post('/api/auth/refresh').send({ refreshToken: a.refreshToken })).status,
    ).toBe(401);
    const me = await request(h.app).get('/api/me').set(bearer(a));
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('TOKEN_INVALID');
  });
});

describe('access tokens', () => {
  it('refuses a request without a token', async () => {
    const res = await request(h.app).get('/api/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHORIZED');
  });

  it('reads the scheme in any case, as RFC 7235 has it (curl users type "bearer")', async () => {
    const a = await signUp(h.app);
    for (const scheme of ['bearer', 'BEARER', 'Bearer  '])
      expect(
        (await request(h.app).get('/api/me').set('Authorization', `${scheme} ${a.accessToken}`)).status,
      ).toBe(200);
    const basic = await request(h.app).get('/api/me').set('Authorization', `Basic ${a.accessToken}`);
    expect(basic.status).toBe(401);
    expect(basic.body.code).toBe('UNAUTHORIZED');
  });

  it('answers TOKEN_EXPIRED for an expired token', async () => {
    const a = await signUp(h.app);
    const expired = createTokenService({ secret: SECRET, accessTtlSec: -10, refreshTtlSec: 60, db: h.db });
    const pair = await expired.issue({ id: a.id, role: 'trader' });
    const res = await request(h.app).get('/api/me').set(bearer(pair));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_EXPIRED');
    await expect(h.tokens.verifyAccess(pair.accessToken)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('refuses tampered tokens, other keys and alg none', async () => {
    const a = await signUp(h.app);
    const [head, body, sig] = a.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${forgedBody}.`;
    const otherKey = await new SignJWT({ role: 'admin', sid: claims.sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(a.id)
      .setIssuer(claims.iss)
      .setAudience(claims.aud)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(randomBytes(48).toString('base64')));
    for (const token of [`${head}.${forgedBody}.${sig}`, none, otherKey, `${a.accessToken}x`]) {
      const res = await request(h.app)
        .get('/api/me')
        .set(bearer({ accessToken: token }));
      expect(res.status).toBe(401);
      await expect(h.tokens.verifyAccess(token)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    }
    expect(claims).toMatchObject({ sub: a.id, role: 'trader', sid: expect.any(String) });
  });

  it("reads the caller's role and broker from the database on every request, not from the token", async () => {
    const a = await signUp(h.app);
    expect(await h.tokens.verifyAccess(a.accessToken)).toEqual({
      userId: a.id,
      role: 'trader',
      sessionId: expect.any(String),
      broker: 'SIM',
    });
    await h.db('users').where({ id: a.id }).update({ role: 'admin', broker: 'ALPACA' });
    expect(await h.tokens.verifyAccess(a.accessToken)).toMatchObject({ role: 'admin', broker: 'ALPACA' });
  });

  it("ends a deleted account's access tokens at once", async () => {
    const a = await signUp(h.app);
    await h.db('users').where({ id: a.id }).delete();
    const res = await request(h.app).get('/api/me').set(bearer(a));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() =>
      createTokenService({ secret: 'short', accessTtlSec: 60, refreshTtlSec: 60, db: h.db }),
    ).toThrow(/JWT_SECRET/);
  });
});
