import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createLogger } from '@tickstream/platform';
import { errorHandler, validationFailed } from '../../src/http/errors';

describe('validationFailed', () => {
  it('names each bad field by its path, with zod message and never the value', () => {
    const parsed = z.object({ symbols: z.array(z.string().regex(/^[A-Z]+$/)).min(1) }).safeParse({
      symbols: ['AAPL', 's3cret'],
    });
    if (parsed.success) throw new Error('expected a failure');
    const body = validationFailed('send symbols', parsed.error);
    expect(body).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'send symbols',
      details: [{ path: 'symbols.1', message: 'Invalid' }],
    });
    expect(JSON.stringify(body)).not.toContain('s3cret');
  });

  it('names the root when the body itself is wrong', () => {
    const parsed = z.object({}).safeParse('nope');
    if (parsed.success) throw new Error('expected a failure');
    expect(validationFailed('x', parsed.error).details?.[0]?.path).toBe('(root)');
  });
});

describe('errorHandler', () => {
  const app = express();
  app.use(express.json({ limit: '32b' }));
  app.post('/echo', (req, res) => void res.json(req.body));
  app.get('/boom', () => {
    throw new Error('SELECT secret FROM somewhere failed');
  });
  app.use(errorHandler(createLogger({ service: 'inference-errors-test', level: 'silent' })));

  it('answers JSON that does not parse 400 INVALID_JSON', async () => {
    const res = await request(app).post('/echo').set('content-type', 'application/json').send('{"a": [');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'INVALID_JSON', message: 'request body is not valid JSON' });
  });

  it('answers a body over the limit 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(app)
      .post('/echo')
      .send({ symbols: Array.from({ length: 20 }, () => 'AAPL') });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' });
  });

  it('answers anything else 500 INTERNAL without its text', async () => {
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ code: 'INTERNAL', message: 'internal error' });
  });
});
