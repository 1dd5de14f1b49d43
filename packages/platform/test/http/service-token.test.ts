import { randomBytes } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { requireServiceToken } from '../../src/http/service-token';

const TOKEN = randomBytes(48).toString('base64');
const app = express();
app.use(requireServiceToken(TOKEN), (_req, res) => void res.json({ ok: true }));

describe('requireServiceToken', () => {
  it('admits the token under the Bearer scheme in any case (RFC 7235), and nothing else', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER'])
      expect((await request(app).get('/').set('authorization', `${scheme} ${TOKEN}`)).status).toBe(200);
    const none = await request(app).get('/');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('SERVICE_TOKEN_REQUIRED');
    expect((await request(app).get('/').set('authorization', `Basic ${TOKEN}`)).body.code).toBe(
      'SERVICE_TOKEN_REQUIRED',
    );
    expect((await request(app).get('/').set('authorization', 'Bearer wrong')).body.code).toBe(
      'SERVICE_TOKEN_INVALID',
    );
  });
});
