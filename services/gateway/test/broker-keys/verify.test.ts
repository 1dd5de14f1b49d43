import request from 'supertest';
import { ALPACA_KEYS, bearer, signUp, startHarness, startHarnessWithFakeAlpaca } from '../http/harness';
import type { Harness, HarnessWithFakeAlpaca } from '../http/harness';

let h: HarnessWithFakeAlpaca;
let unreachable: Harness;

beforeAll(async () => {
  h = await startHarnessWithFakeAlpaca();
  // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
  unreachable = await startHarness({
    alpaca: { paperUrl: 'http://127.0.0.1:9', liveUrl: 'http://127.0.0.1:9' },
  });
});
afterAll(async () => {
  await h.close();
  await unreachable.close();
});

it('checks the keys against the Alpaca account before storing them, and says what they open', async () => {
  const a = await signUp(h.app);
  const res = await request(h.app)
    .put('/api/broker-keys')
    .set(bearer(a))
    .send({ keyId: ALPACA_KEYS.key, secretKey: ALPACA_KEYS.secret, paper: true });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    keyIdMasked: expect.stringMatching(/^PK\*+7890$/),
    paper: true,
    updatedAt: expect.any(String),
    account: {
      status: 'ACTIVE',
      currency: 'USD',
      buyingPower: expect.stringMatching(/^\d/),
      tradingBlocked: false,
    },
  });
  expect(
    h.alpaca.requests.some(
      (r) => r.method === 'GET' && r.path === '/v2/account' && r.keyId === ALPACA_KEYS.key,
    ),
  ).toBe(true);
  expect(JSON.stringify(res.body)).not.toContain(ALPACA_KEYS.secret);
});

it('refuses keys Alpaca does not accept, and stores nothing', async () => {
  const a = await signUp(h.app);
  const res = await request(h.app)
    .put('/api/broker-keys')
    .set(bearer(a))
    .send({ keyId: ALPACA_KEYS.key, secretKey: 'not-the-secret-0123456789', paper: true });
  expect(res.status).toBe(400);
  expect(res.body.code).toBe('BROKER_KEYS_REJECTED');
  expect(res.body.message).toMatch(/Alpaca refused these keys for a paper account/);
  expect(await h.db('broker_credentials').where({ user_id: a.id }).first()).toBeUndefined();
});

it('says clearly when Alpaca cannot be reached, and stores nothing', async () => {
  const a = await signUp(unreachable.app);
  const res = await request(unreachable.app)
    .put('/api/broker-keys')
    .set(bearer(a))
    .send({ keyId: ALPACA_KEYS.key, secretKey: ALPACA_KEYS.secret });
  expect(res.status).toBe(503);
  expect(res.body.code).toBe('BROKER_UNREACHABLE');
  expect(res.body.message).toMatch(/could not be reached to check the keys; they were not stored/);
  expect(await unreachable.db('broker_credentials').where({ user_id: a.id }).first()).toBeUndefined();
});
