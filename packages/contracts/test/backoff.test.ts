import { Backoff, backoffDelay } from '../src/backoff';

const policy = { initialMs: 100, maxMs: 1000 };

describe('backoffDelay', () => {
  it('doubles from initialMs and stops at maxMs', () => {
    expect([0, 1, 2, 3, 4, 5, 60].map((a) => backoffDelay(a, policy))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });

  it('takes up to the jitter fraction away, never more', () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect(backoffDelay(2, jittered, () => 0)).toBe(400);
    expect(backoffDelay(2, jittered, () => 0.5)).toBe(300);
    expect(backoffDelay(2, jittered, () => 0.999)).toBeGreaterThan(200);
  });
});

describe('Backoff', () => {
  it('counts attempts until reset', () => {
    const b = new Backoff(policy);
    expect([b.next(), b.next(), b.next()]).toEqual([100, 200, 400]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('waits at least the floor it is given, and still counts the attempt', () => {
    const b = new Backoff(policy);
    expect(b.next(5000)).toBe(5000);
    expect(b.next()).toBe(200);
  });
});
