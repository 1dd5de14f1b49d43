import { CatchUp } from '@tickstream/platform';

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('CatchUp', () => {
  it('is done once every partition has been read up to its end offset', async () => {
    const c = new CatchUp([
      { topic: 't', partition: 0, offset: '4', high: '10' },
      { topic: 't', partition: 1, offset: '0', high: '5' },
    ]);
    c.consumed('t', 0, '8');
    c.consumed('t', 1, '4');
    expect(c.caughtUp).toBe(false);
    expect(await settled(c.done)).toBe(false);
    c.consumed('t', 0, '9');
    expect(c.caughtUp).toBe(true);
    expect(await settled(c.done)).toBe(true);
  });

  it('counts a partition that starts at its end (nothing published since the warm-up window) as read', async () => {
    const c = new CatchUp([
      { topic: 't', partition: 0, offset: '7', high: '7' },
      { topic: 't', partition: 1, offset: '0', high: '0' },
    ]);
    expect(c.caughtUp).toBe(true);
    expect(await settled(c.done)).toBe(true);
  });

  it('ignores batches of other partitions and empty batches', () => {
    const c = new CatchUp([{ topic: 't', partition: 2, offset: '0', high: '3' }]);
    c.consumed('t', 5, '100');
    c.consumed('other', 2, '100');
    c.consumed('t', 2, '-1');
    expect(c.caughtUp).toBe(false);
    c.consumed('t', 2, '2');
    expect(c.caughtUp).toBe(true);
  });
});
