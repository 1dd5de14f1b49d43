import request from 'supertest';
import { prom } from '@tickstream/platform';
import { ALLOWED_ORIGIN, bearer, harnessForFile, signUp, startHarness } from './harness';

const h = harnessForFile();

describe('edge protections', () => {
  it('sets security headers and hides the framework', async () => {
    const res = await request(h.app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows CORS only for configured origins', async () => {
    const ok = await request(h.app)
      .options('/api/me')
      .set('Origin', ALLOWED_ORIGIN)
      .set('Access-Control-Request-Method', 'GET');
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined();

    const evil = await request(h.app)
      .options('/api/me')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'GET');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const evilGet = await request(h.app).get('/api/openapi.json').set('Origin', 'https://evil.example');
    expect(evilGet.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 413 for a body over the limit', async () => {
    const a = await signUp(h.app);
    const res = await request(h.app)
      .post('/api/watchlists')
      .set(bearer(a))
      .send({ name: 'big', symbols: [], padding: 'x'.repeat(20 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
  });

  it('refuses malformed and non-object JSON without leaking a stack', async () => {
    const bad = await request(h.app)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_JSON');
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js|SyntaxError/);

    const scalar = await request(h.app)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('"just a string"');
    expect(scalar.status).toBe(400);
  });

  it('lists the failing fields of a validation error', async () => {
    const res = await request(h.app)
      .post('/api/auth/signup')
      .send({ email: 'not-an-email', password: 'short', role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const paths = (res.body.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'password', '(root)']));
  });

  it('answers unexpected errors with a bare 500', async () => {
    const a = await signUp(h.app);
    // A database that is gone makes the handler throw something untyped.
    const broken = await startHarness();
    try {
      await broken.db.destroy();
      const res = await request(broken.app).get('/api/me').set(bearer(a));
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ code: 'INTERNAL', message: 'internal error' });
    } finally {
      // Its order and inference APIs listen on ports of their own: left open, they kept the test
      // process alive after the run (jest's "worker failed to exit gracefully", or a hang in band).
      await broken.close();
    }
  });
});

describe('metrics', () => {
  it('counts requests by route template, never by raw path', async () => {
    const registry = new prom.Registry();
    const m = await startHarness({ metrics: registry });
    try {
      const a = await signUp(m.app);
      await request(m.app).get('/api/watchlists/00000000-0000-4000-8000-000000000000').set(bearer(a));
      const text = await registry.metrics();
      expect(text).toMatch(
        /gateway_http_request_duration_seconds_count\{method="GET",route="\/watchlists\/:id",status="404"\} 1/,
      );
      expect(text).not.toContain('00000000-0000');
    } finally {
      await m.close();
    }
  });
});
