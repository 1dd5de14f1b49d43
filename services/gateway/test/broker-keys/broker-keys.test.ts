import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { parseMasterKey } from '../../src/broker-keys';
// The one reader of stored keys is the order service's, which trades with them.
import { loadAlpacaKeys } from '../../../orders/src/alpaca/credentials';
import { bearer, harnessForFile, recordingLogger, signUp, startHarness } from '../http/harness';
import type { Account } from '../http/harness';

const h = harnessForFile();

const KEY_ID = 'PKTEST1234ABCDWXYZ';
const SECRET_KEY = 'sEcReT-0123456789abcdefghijklmnopqrstuvw';

/** PUT /api/broker-keys with the test keys for `user`, on `app` (the shared harness's unless told). */
const storeKeys = (user: Account, app = h.app) =>
  request(app).put('/api/broker-keys').set(bearer(user)).send({ keyId: KEY_ID, secretKey: SECRET_KEY });

describe('broker keys', () => {
  it('stores keys sealed and shows them only masked', async () => {
    const a = await signUp(h.app);
    const put = await request(h.app)
      .put('/api/broker-keys')
      .set(bearer(a))
      .send({ keyId: KEY_ID, secretKey: SECRET_KEY, paper: false });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ keyIdMasked: 'PK****WXYZ', paper: false, updatedAt: expect.any(String) });

    const get = await request(h.app).get('/api/broker-keys').set(bearer(a));
    expect(get.body).toEqual(put.body);
    expect(JSON.stringify(get.body)).not.toContain(SECRET_KEY);

    const row = await h.db('broker_credentials').where({ user_id: a.id }).first();
    const rowText =
      JSON.stringify(row) + Buffer.concat([row.ciphertext, row.iv, row.auth_tag]).toString('latin1');
    expect(rowText).not.toContain(SECRET_KEY);
    expect(rowText).not.toContain(KEY_ID);
    expect(row.iv).toHaveLength(12);
    expect(row.auth_tag).toHaveLength(16);
    expect(row.key_version).toBe('v1');

    expect(row.paper).toBe(false);
    expect(await loadAlpacaKeys(h.db, h.masterKey, a.id)).toEqual({ keyId: KEY_ID, secretKey: SECRET_KEY });
  });

  it('uses a fresh IV each time the keys are written', async () => {
    const a = await signUp(h.app);
    await storeKeys(a);
    const first = await h.db('broker_credentials').where({ user_id: a.id }).first();
    await storeKeys(a);
    const second = await h.db('broker_credentials').where({ user_id: a.id }).first();
    expect(second.iv.equals(first.iv)).toBe(false);
    expect(second.ciphertext.equals(first.ciphertext)).toBe(false);
  });

  it('does not decrypt a row moved to another user, with another key or tampered', async () => {
    const a = await signUp(h.app);
    const b = await signUp(h.app);
    await storeKeys(a);
    const row = await h.db('broker_credentials').where({ user_id: a.id }).first();
    await h.db('broker_credentials').insert({ ...row, user_id: b.id });

    await expect(loadAlpacaKeys(h.db, h.masterKey, b.id)).rejects.toMatchObject({
      code: 'BROKER_KEYS_UNREADABLE',
    });
    await expect(loadAlpacaKeys(h.db, randomBytes(32), a.id)).rejects.toMatchObject({
      code: 'BROKER_KEYS_UNREADABLE',
    });
    const flipped = Buffer.from(row.ciphertext);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await h.db('broker_credentials').where({ user_id: a.id }).update({ ciphertext: flipped });
    await expect(loadAlpacaKeys(h.db, h.masterKey, a.id)).rejects.toMatchObject({
      code: 'BROKER_KEYS_UNREADABLE',
    });
    await h
      .db('broker_credentials')
      .where({ user_id: a.id })
      .update({ ciphertext: row.ciphertext, auth_tag: row.auth_tag.subarray(0, 4) });
    await expect(loadAlpacaKeys(h.db, h.masterKey, a.id)).rejects.toMatchObject({
      code: 'BROKER_KEYS_UNREADABLE',
    });
  });

  it("keeps each user's keys to themselves", async () => {
    const a = await signUp(h.app);
    const b = await signUp(h.app);
    await storeKeys(a);
    const none = await request(h.app).get('/api/broker-keys').set(bearer(b));
    expect([none.status, none.body]).toEqual([200, null]);
    expect((await request(h.app).delete('/api/broker-keys').set(bearer(b))).status).toBe(404);
    expect((await request(h.app).get('/api/broker-keys').set(bearer(a))).status).toBe(200);
    expect(await loadAlpacaKeys(h.db, h.masterKey, b.id)).toBeNull();
  });

  it('validates input without echoing the secret', async () => {
    const a = await signUp(h.app);
    const res = await request(h.app)
      .put('/api/broker-keys')
      .set(bearer(a))
      .send({ keyId: 'PK', secretKey: 'has spaces in the secret value', paper: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'keyId',
      'paper',
      'secretKey',
    ]);
    expect(JSON.stringify(res.body)).not.toContain('has spaces');
  });

  it('allows ALPACA only with stored keys and falls back to SIM when they are deleted', async () => {
    const a = await signUp(h.app);
    const refused = await request(h.app).put('/api/me/broker').set(bearer(a)).send({ broker: 'ALPACA' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('BROKER_KEYS_REQUIRED');

    await storeKeys(a);
    const chosen = await request(h.app).put('/api/me/broker').set(bearer(a)).send({ broker: 'ALPACA' });
    expect(chosen.body.broker).toBe('ALPACA');
    expect((await request(h.app).put('/api/me/broker').set(bearer(a)).send({ broker: 'NYSE' })).status).toBe(
      400,
    );

    expect((await request(h.app).delete('/api/broker-keys').set(bearer(a))).status).toBe(204);
    expect((await request(h.app).get('/api/me').set(bearer(a))).body.broker).toBe('SIM');
    // No keys is an answer, not an error: Settings asks every time it opens.
    const gone = await request(h.app).get('/api/broker-keys').set(bearer(a));
    expect([gone.status, gone.body]).toEqual([200, null]);
  });

  it('never hands the secret to the logger', async () => {
    const { log, lines } = recordingLogger();
    const logged = await startHarness({ log });
    // A master key of the wrong size makes sealing throw: an unexpected error, logged with its cause.
    const broken = await startHarness({ log, masterKey: randomBytes(16) });
    try {
      const a = await signUp(logged.app);
      await storeKeys(a, logged.app);
      await request(logged.app)
        .put('/api/broker-keys')
        .set(bearer(a))
        .send({ keyId: KEY_ID, secretKey: SECRET_KEY, extra: 1 });
      await request(logged.app).get('/api/broker-keys').set(bearer(a));
      const failed = await storeKeys(a, broken.app);
      expect(failed.status).toBe(500);
      expect(lines.some((l) => l.includes('broker keys stored'))).toBe(true);
      expect(lines.some((l) => l.includes('request failed') && l.includes('/broker-keys'))).toBe(true);
      for (const line of lines) {
        expect(line).not.toContain(SECRET_KEY);
        expect(line).not.toContain(KEY_ID);
      }
    } finally {
      await logged.close();
      await broken.close();
    }
  });

  it('accepts only a 32-byte base64 master key', () => {
    const good = randomBytes(32).toString('base64');
    expect(parseMasterKey(good)).toHaveLength(32);
    expect(() => parseMasterKey(randomBytes(16).toString('base64'))).toThrow(/BROKER_KEYS_MASTER_KEY/);
    expect(() => parseMasterKey('not base64 at all!')).toThrow(/BROKER_KEYS_MASTER_KEY/);
  });
});
