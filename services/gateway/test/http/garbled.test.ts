import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { bearer, harnessForFile, signUp } from './harness';

const h = harnessForFile();

// What a client driving the API by hand (curl) gets wrong: each must be answered with the one
// error body and a 4xx, never a 500.
describe('requests the gateway cannot read', () => {
  const login = () => request(h.app).post('/api/auth/login');
  // superagent would serialise a Buffer under a JSON content type: send the bytes as they are.
  const gzipped = (body: Buffer) =>
    login()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(() => body as unknown as string)
      .send(body);
  const json = JSON.stringify({ email: 'nobody@example.test', password: 'not the password' });

  it('answers malformed percent-encoding in a path with 400', async () => {
    const a = await signUp(h.app);
    const res = await request(h.app).get('/api/watchlists/%E0%A4%A').set(bearer(a));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'BAD_REQUEST', message: expect.stringMatching(/percent-encoding/) });
    const symbol = await request(h.app)
      .delete('/api/watchlists/00000000-0000-4000-8000-000000000000/symbols/%ZZ')
      .set(bearer(a));
    expect(symbol.status).toBe(400);
    expect(symbol.body.code).toBe('BAD_REQUEST');
  });

  it('answers a query it cannot read with 400: malformed percent-encoding, a repeated parameter', async () => {
    const a = await signUp(h.app);
    const orders = (query: string) => request(h.app).get(`/api/orders?${query}`).set(bearer(a));
    const garbled = await orders('status=%E0%A4%A&limit=%');
    expect(garbled.status).toBe(400);
    expect(garbled.body).toEqual({
      code: 'VALIDATION_FAILED',
      message: expect.any(String),
      details: expect.any(Array),
    });
    const twice = await orders('limit=1&limit=2');
    expect(twice.status).toBe(400);
    expect(twice.body).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'invalid query: limit: given more than once; send it once',
      details: [{ path: 'limit', message: 'given more than once; send it once' }],
    });
  });

  it('answers a body that is not JSON with 415', async () => {
    // curl -d sends application/x-www-form-urlencoded unless told otherwise.
    const form = await login().type('form').send('email=a@example.test&password=x');
    expect(form.status).toBe(415);
    expect(form.body).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringMatching(/application\/json/),
    });
    const text = await login().set('Content-Type', 'text/plain').send(json);
    expect(text.status).toBe(415);
    const none = await login().unset('Content-Type').send(Buffer.from(json));
    expect(none.status).toBe(415);
  });

  it('answers an unsupported charset or content encoding with 415', async () => {
    const latin1 = await login().set('Content-Type', 'application/json; charset=latin1').send(json);
    expect(latin1.status).toBe(415);
    expect(latin1.body).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringMatching(/charset/),
    });
    const compress = await login()
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'compress')
      .send(json);
    expect(compress.status).toBe(415);
    expect(compress.body).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: expect.stringMatching(/Content-Encoding/),
    });
  });

  it('reads a gzip body, and answers a corrupt one with 400', async () => {
    expect((await gzipped(gzipSync(json))).status).toBe(401);
    const corrupt = await gzipped(Buffer.from('this is not gzip'));
    expect(corrupt.status).toBe(400);
    expect(corrupt.body).toEqual({ code: 'BAD_REQUEST', message: 'request body could not be read' });
  });
});
