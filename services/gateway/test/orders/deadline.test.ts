import { settleWithin } from '../../src/orders/deadline';

describe('settleWithin', () => {
  it('gives the value or the error of work that ends in time', async () => {
    expect(await settleWithin(Promise.resolve(7), 1000)).toEqual({ kind: 'done', value: 7 });
    const error = new Error('refused');
    expect(await settleWithin(Promise.reject(error), 1000)).toEqual({ kind: 'failed', error });
  });

  it('stops waiting for work that never ends', async () => {
    expect(await settleWithin(new Promise<never>(() => {}), 10)).toEqual({ kind: 'timedOut' });
  });

  it('leaves no rejection unhandled when work fails after the deadline', async () => {
    let fail!: (err: Error) => void;
    const work = new Promise<number>((_, reject) => (fail = reject));
    expect(await settleWithin(work, 1)).toEqual({ kind: 'timedOut' });
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    fail(new Error('late'));
    await new Promise((r) => setTimeout(r, 20));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });
});
