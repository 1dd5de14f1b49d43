import request from 'supertest';
import { allDemand, userWatchlistSymbols } from '../../src/watchlists';
import { bearer, harnessForFile, signUp, startHarness } from '../http/harness';
import type { Account } from '../http/harness';

const h = harnessForFile();

// Symbols nobody else's test uses, so demand counts are exact even with files running together.
const sym = (() => {
  const base = `Z${Date.now().toString(36).toUpperCase().slice(-5)}`;
  let n = 0;
  return () => `${base}${(n++).toString(36).toUpperCase()}`;
})();

const create = (a: Account, body: object) => request(h.app).post('/api/watchlists').set(bearer(a)).send(body);

describe('watchlists CRUD', () => {
  it('creates, lists in order, renames, moves and deletes', async () => {
    const a = await signUp(h.app);
    const [s1, s2] = [sym(), sym()];
    const first = await create(a, { name: '  Tech  ', symbols: [s1.toLowerCase(), s2, s1] });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'Tech', position: 0, symbols: [s1, s2] });
    const second = await create(a, { name: 'Energy' });
    expect(second.body.position).toBe(1);

    const moved = await request(h.app)
      .patch(`/api/watchlists/${second.body.id}`)
      .set(bearer(a))
      .send({ position: 0, name: 'Oil' });
    expect(moved.status).toBe(200);
    const list = await request(h.app).get('/api/watchlists').set(bearer(a));
    expect(list.body.map((w: { name: string }) => w.name)).toEqual(['Oil', 'Tech']);

    const dupName = await create(a, { name: 'Oil' });
    expect(dupName.status).toBe(409);
    expect(dupName.body.code).toBe('NAME_TAKEN');

    expect((await request(h.app).delete(`/api/watchlists/${first.body.id}`).set(bearer(a))).status).toBe(204);
    expect((await request(h.app).get(`/api/watchlists/${first.body.id}`).set(bearer(a))).status).toBe(404);
  });

  it('adds, removes and reorders symbols', async () => {
    const a = await signUp(h.app);
    const [s1, s2, s3] = [sym(), sym(), sym()];
    const w = (await create(a, { name: 'L', symbols: [s1, s2] })).body;
    const added = await request(h.app)
      .post(`/api/watchlists/${w.id}/symbols`)
      .set(bearer(a))
      .send({ symbol: s3.toLowerCase() });
    expect(added.body.symbols).toEqual([s1, s2, s3]);
    const reordered = await request(h.app)
      .put(`/api/watchlists/${w.id}/symbols`)
      .set(bearer(a))
      .send({ symbols: [s3, s1, s2] });
    expect(reordered.body.symbols).toEqual([s3, s1, s2]);
    const removed = await request(h.app).delete(`/api/watchlists/${w.id}/symbols/${s1}`).set(bearer(a));
    expect(removed.body.symbols).toEqual([s3, s2]);
    expect((await request(h.app).get(`/api/watchlists/${w.id}`).set(bearer(a))).body.symbols).toEqual([
      s3,
      s2,
    ]);
    expect((await request(h.app).delete(`/api/watchlists/${w.id}/symbols/${s1}`).set(bearer(a))).status).toBe(
      404,
    );
    expect(await userWatchlistSymbols(h.db, a.id)).toEqual(new Set([s3, s2]));
  });

  it('enforces 20 lists and 50 symbols', async () => {
    const a = await signUp(h.app);
    for (let i = 0; i < 20; i++) expect((await create(a, { name: `l${i}` })).status).toBe(201);
    const over = await create(a, { name: 'one too many' });
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('LIMIT_REACHED');

    const b = await signUp(h.app);
    const fifty = Array.from({ length: 50 }, (_, i) => `S${i}`);
    expect((await create(b, { name: 'full', symbols: [...fifty, 'S50'] })).status).toBe(400);
    const full = (await create(b, { name: 'full', symbols: fifty })).body;
    const more = await request(h.app)
      .post(`/api/watchlists/${full.id}/symbols`)
      .set(bearer(b))
      .send({ symbol: 'S50' });
    expect(more.status).toBe(409);
  });

  it('stores injection strings in names verbatim and refuses them as symbols', async () => {
    const a = await signUp(h.app);
    const name = `'); DROP TABLE users; -- <script>alert(1)</script>`;
    const res = await create(a, { name });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(name);
    expect((await h.db('watchlists').where({ id: res.body.id }).first()).name).toBe(name);
    for (const symbol of ["AAPL'; DROP TABLE watchlists;--", '../etc', 'A B', '', 'TOOLONGSYMBOL1']) {
      const bad = await request(h.app)
        .post(`/api/watchlists/${res.body.id}/symbols`)
        .set(bearer(a))
        .send({ symbol });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    }
    const badPath = await request(h.app)
      .delete(`/api/watchlists/${res.body.id}/symbols/${encodeURIComponent("x' OR 1=1")}`)
      .set(bearer(a));
    expect(badPath.status).toBe(400);
    expect((await request(h.app).get("/api/watchlists/1' OR '1'='1").set(bearer(a))).status).toBe(404);
    expect(await h.db.schema.hasTable('users')).toBe(true);
  });
});

describe('ownership', () => {
  it("hides and protects another user's watchlists with 404", async () => {
    const a = await signUp(h.app);
    const b = await signUp(h.app);
    const w = (await create(a, { name: 'mine', symbols: [sym()] })).body;
    const tries = [
      request(h.app).get(`/api/watchlists/${w.id}`).set(bearer(b)),
      request(h.app).patch(`/api/watchlists/${w.id}`).set(bearer(b)).send({ name: 'pwned' }),
      request(h.app).delete(`/api/watchlists/${w.id}`).set(bearer(b)),
      request(h.app)
        .put(`/api/watchlists/${w.id}/symbols`)
        .set(bearer(b))
        .send({ symbols: ['X'] }),
      request(h.app).post(`/api/watchlists/${w.id}/symbols`).set(bearer(b)).send({ symbol: 'X' }),
      request(h.app).delete(`/api/watchlists/${w.id}/symbols/${w.symbols[0]}`).set(bearer(b)),
    ];
    const unknown = await request(h.app)
      .get('/api/watchlists/00000000-0000-4000-8000-000000000000')
      .set(bearer(b));
    for (const res of await Promise.all(tries)) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual(unknown.body);
    }
    expect((await request(h.app).get('/api/watchlists').set(bearer(b))).body).toEqual([]);
    expect((await request(h.app).get(`/api/watchlists/${w.id}`).set(bearer(a))).body).toEqual(w);
  });
});

describe('symbol demand', () => {
  it('publishes the demand of changed symbols, counting distinct users', async () => {
    const a = await signUp(h.app);
    const b = await signUp(h.app);
    const [s1, s2] = [sym(), sym()];
    const demandOf = (symbol: string) => h.published.at(-1)?.find((d) => d.symbol === symbol)?.demand;

    const wa = (await create(a, { name: 'a', symbols: [s1] })).body;
    expect(h.published.at(-1)).toEqual([{ symbol: s1, demand: 1, updated_at: expect.any(Number) }]);
    // A second list of the same user does not count twice.
    await create(a, { name: 'a2', symbols: [s1] });
    expect(demandOf(s1)).toBe(1);
    const wb = (await create(b, { name: 'b', symbols: [s1, s2] })).body;
    expect(demandOf(s1)).toBe(2);
    expect(demandOf(s2)).toBe(1);

    const before = h.published.length;
    await request(h.app).patch(`/api/watchlists/${wb.id}`).set(bearer(b)).send({ name: 'renamed' });
    await request(h.app).post(`/api/watchlists/${wa.id}/symbols`).set(bearer(a)).send({ symbol: s1 });
    expect(h.published.length).toBe(before);

    await request(h.app)
      .put(`/api/watchlists/${wb.id}/symbols`)
      .set(bearer(b))
      .send({ symbols: [s1] });
    expect(h.published.at(-1)).toEqual([{ symbol: s2, demand: 0, updated_at: expect.any(Number) }]);
    await request(h.app).delete(`/api/watchlists/${wb.id}`).set(bearer(b));
    expect(demandOf(s1)).toBe(1);

    const all = await allDemand(h.db);
    expect(all.find((d) => d.symbol === s1)?.demand).toBe(1);
    expect(all.find((d) => d.symbol === s2)).toBeUndefined();
  });

  it('keeps the change when publishing fails', async () => {
    const failing = await startHarness({ publishFails: true });
    try {
      const a = await signUp(failing.app);
      const res = await request(failing.app)
        .post('/api/watchlists')
        .set(bearer(a))
        .send({ name: 'x', symbols: [sym()] });
      expect(res.status).toBe(201);
      expect((await request(failing.app).get('/api/watchlists').set(bearer(a))).body).toHaveLength(1);
    } finally {
      await failing.close();
    }
  });
});
