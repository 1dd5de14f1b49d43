import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { serveWebClient } from '../../src/http';

let dir: string;
let app: express.Express;
const BUNDLE = `console.log(${JSON.stringify('tickstream '.repeat(4000))});`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-dist-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><script src="/assets/index-ByYwbEWD.js"></script>`,
  );
  fs.writeFileSync(path.join(dir, 'assets', 'index-ByYwbEWD.js'), BUNDLE);
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg/>');
  app = express();
  serveWebClient(app, dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('sends the hashed bundle compressed (brotli or gzip) and cached as immutable', async () => {
  for (const encoding of ['br', 'gzip']) {
    const res = await request(app)
      .get('/assets/index-ByYwbEWD.js')
      .set('Accept-Encoding', encoding)
      .buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.text).toBe(BUNDLE);
  }
});

it('makes browsers revalidate index.html, which names the current hashes', async () => {
  for (const url of ['/', '/index.html']) {
    const res = await request(app).get(url);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  }
});

it('caches files without a hash in their name for an hour only', async () => {
  const res = await request(app).get('/favicon.svg');
  expect(res.headers['cache-control']).toBe('public, max-age=3600');
});
