import { RestoreAfterRebalance } from '../src/restore';

describe('RestoreAfterRebalance', () => {
  it('restores once for the batches a rebalance brings together, and each waits for it', async () => {
    let finish!: () => void;
    let restores = 0;
    const restore = new RestoreAfterRebalance(() => {
      restores++;
      return new Promise<void>((r) => (finish = r));
    });
    restore.rebalanced();
    const done: number[] = [];
    const batches = [1, 2, 3].map((i) => restore.ready().then(() => done.push(i)));
    await Promise.resolve();
    expect(restores).toBe(1);
    expect(done).toEqual([]);
    finish();
    await Promise.all(batches);
    expect(done).toEqual([1, 2, 3]);
    // Nothing due until the next rebalance.
    await restore.ready();
    expect(restores).toBe(1);
  });

  it('tries a failed restore again with the next batch', async () => {
    let calls = 0;
    const restore = new RestoreAfterRebalance(async () => {
      calls++;
      if (calls === 1) throw new Error('changelog did not catch up');
    });
    restore.rebalanced();
    await expect(restore.ready()).rejects.toThrow('did not catch up');
    await restore.ready();
    expect(calls).toBe(2);
  });
});
