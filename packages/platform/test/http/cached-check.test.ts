import { cachedCheck } from '@tickstream/platform';

// A readiness probe's answer, as the dependency gives it: the test decides when and what.
function controlledProbe() {
  const calls: Array<(ok: boolean | Error) => void> = [];
  const probe = () =>
    new Promise<boolean>((resolve, reject) => {
      calls.push((ok) => (ok instanceof Error ? reject(ok) : resolve(ok)));
    });
  return { probe, calls, answer: (ok: boolean | Error) => calls[calls.length - 1]!(ok) };
}

/** Whether the promise has settled by the end of the current microtask queue, and with what. */
async function settled<T>(p: Promise<T>): Promise<{ value: T } | 'pending'> {
  const pending = Symbol('pending');
  const r = await Promise.race([p, new Promise<typeof pending>((res) => setImmediate(() => res(pending)))]);
  return r === pending ? 'pending' : { value: r as T };
}

type ControlledProbe = ReturnType<typeof controlledProbe>;

/** A cachedCheck over a controlled probe whose first poll has been answered `firstAnswer`. */
async function primedCheck(firstAnswer: boolean, times: Parameters<typeof cachedCheck>[1]) {
  const d = controlledProbe();
  const check = cachedCheck(d.probe, times);
  const first = check();
  d.answer(firstAnswer);
  return { d, check, first: await first };
}

/** The next poll waits on the probe (it has not settled) and answers what the probe answers. */
async function expectWaitsOnProbe(check: () => Promise<boolean>, d: ControlledProbe, answer: boolean) {
  const next = check();
  expect(await settled(next)).toBe('pending');
  d.answer(answer);
  expect(await next).toBe(answer);
}

describe('cachedCheck', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate'] }));
  afterEach(() => jest.useRealTimers());

  it('answers from the last result within the ttl, without probing again', async () => {
    const { d, check, first } = await primedCheck(true, { ttlMs: 2000, staleMs: 10_000 });
    expect(first).toBe(true);
    jest.advanceTimersByTime(1999);
    expect(await check()).toBe(true);
    expect(d.calls).toHaveLength(1);
  });

  it('keeps a passing answer while a newer probe is slow, up to staleMs, then waits on the probe', async () => {
    const { d, check } = await primedCheck(true, { ttlMs: 2000, staleMs: 10_000 });

    jest.advanceTimersByTime(2500);
    // The probe has not answered: the poll still gets the recent pass, at once.
    expect(await settled(check())).toEqual({ value: true });
    expect(d.calls).toHaveLength(2);
    jest.advanceTimersByTime(5000);
    expect(await settled(check())).toEqual({ value: true });
    expect(d.calls).toHaveLength(2); // one probe in flight at a time

    // Past staleMs with the probe still hanging, the poll waits on it (/readyz's budget fails it).
    jest.advanceTimersByTime(3000);
    await expectWaitsOnProbe(check, d, true);
  });

  it('fails the poll after a failed probe, even within staleMs', async () => {
    const { d, check } = await primedCheck(true, { ttlMs: 2000, staleMs: 10_000 });
    jest.advanceTimersByTime(2500);
    await check(); // starts the probe that fails
    d.answer(new Error('ECONNREFUSED'));
    await settled(Promise.resolve());
    expect(await check()).toBe(false);
  });

  it('never answers from a stale failure: a check that failed waits on the next probe', async () => {
    const { d, check, first } = await primedCheck(false, { ttlMs: 2000, staleMs: 10_000 });
    expect(first).toBe(false);
    jest.advanceTimersByTime(2500);
    await expectWaitsOnProbe(check, d, true);
  });

  it('by default waits on the probe once the ttl has passed, whatever passed before', async () => {
    const { d, check } = await primedCheck(true, { ttlMs: 2000 });
    jest.advanceTimersByTime(2500);
    await expectWaitsOnProbe(check, d, false);
  });
});
