import {
  SerialQueue,
  WatchlistView,
  parseSymbols,
  payloadAndAck,
  subscribedSymbols,
} from '../../src/sockets/subscriptions';

describe('parseSymbols', () => {
  it('upper-cases, trims and de-duplicates ticker symbols', () => {
    expect(parseSymbols([' aapl', 'AAPL', 'brk.b'], 10)).toEqual(['AAPL', 'BRK.B']);
  });

  it.each([[undefined], [null], ['AAPL'], [[]], [Array(11).fill('A')], [[42]], [['"; DROP TABLE']]])(
    'refuses %j with INVALID_SYMBOLS',
    (input) => {
      expect(parseSymbols(input, 10)).toMatchObject({ ok: false, error: { code: 'INVALID_SYMBOLS' } });
    },
  );

  it('quotes a refused symbol cut short, so a client cannot make the answer as big as its request', () => {
    const refusal = parseSymbols(['A'.repeat(10_000), 'x!'], 10);
    expect(refusal).toMatchObject({ ok: false, error: { code: 'INVALID_SYMBOLS' } });
    const { message } = (refusal as { error: { message: string } }).error;
    expect(message.length).toBeLessThan(100);
    expect(message).toContain(`"${'A'.repeat(12)}…"`);
    expect(message).toContain('"X!"');
  });
});

describe('payloadAndAck', () => {
  const ack = () => undefined;
  it('takes a callback sent in place of the payload as the ack, with no payload', () => {
    expect(payloadAndAck(ack, undefined)).toEqual({ input: undefined, ack });
  });
  it('keeps payload and ack when both came, and no ack when none did', () => {
    expect(payloadAndAck(['AAPL'], ack)).toEqual({ input: ['AAPL'], ack });
    expect(payloadAndAck(['AAPL'], undefined)).toEqual({ input: ['AAPL'], ack: undefined });
  });
});

describe('subscribedSymbols', () => {
  it('lists the symbol rooms only, sorted', () => {
    expect(subscribedSymbols(new Set(['sock-id', 'user:u1', 'sym:MSFT', 'sym:AAPL']))).toEqual([
      'AAPL',
      'MSFT',
    ]);
  });
});

describe('WatchlistView', () => {
  function counting(lists: string[][]) {
    let calls = 0;
    const view = new WatchlistView(async () => new Set(lists[Math.min(calls++, lists.length - 1)]));
    return { view, calls: () => calls };
  }

  it('looks up once and answers later checks from the cache', async () => {
    const { view, calls } = counting([['AAPL', 'MSFT']]);
    expect(await view.denied(['AAPL'])).toEqual([]);
    expect(await view.denied(['MSFT', 'AAPL'])).toEqual([]);
    expect(calls()).toBe(1);
  });

  it('shares one lookup between concurrent checks', async () => {
    const { view, calls } = counting([['AAPL']]);
    await Promise.all([view.denied(['AAPL']), view.denied(['AAPL']), view.denied(['AAPL'])]);
    expect(calls()).toBe(1);
  });

  it('confirms a refusal from the cache with one fresh lookup', async () => {
    const { view, calls } = counting([['AAPL'], ['AAPL', 'GOOG']]);
    await view.denied(['AAPL']);
    expect(await view.denied(['GOOG'])).toEqual([]);
    expect(calls()).toBe(2);
    expect(await view.denied(['TSLA'])).toEqual(['TSLA']);
    expect(calls()).toBe(3);
  });

  it('does not confirm a refusal that a fresh lookup gave', async () => {
    const { view, calls } = counting([['AAPL']]);
    expect(await view.denied(['TSLA'])).toEqual(['TSLA']);
    expect(calls()).toBe(1);
  });

  it('looks again after invalidate, and when invalidated while a lookup runs', async () => {
    let release!: () => void;
    const answers = [new Set(['AAPL']), new Set<string>(), new Set<string>()];
    let calls = 0;
    const view = new WatchlistView(async () => {
      const answer = answers[calls++]!;
      if (calls === 1) await new Promise<void>((r) => (release = r));
      return answer;
    });
    const pending = view.denied(['AAPL']);
    await new Promise((r) => setImmediate(r));
    view.invalidate(); // AAPL was removed while the first lookup ran
    release();
    expect(await pending).toEqual(['AAPL']);
    expect(calls).toBe(2);
    view.invalidate();
    await view.denied(['AAPL']);
    expect(calls).toBe(3);
  });

  it('does not cache a failed lookup', async () => {
    let calls = 0;
    const view = new WatchlistView(async () => {
      if (calls++ === 0) throw new Error('database down');
      return new Set(['AAPL']);
    });
    await expect(view.denied(['AAPL'])).rejects.toThrow('database down');
    expect(await view.denied(['AAPL'])).toEqual([]);
  });
});

describe('SerialQueue', () => {
  it('runs tasks in the order they came, each after the previous one ended, past a failure', async () => {
    const q = new SerialQueue();
    const order: string[] = [];
    q.run(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('slow');
    });
    q.run(async () => {
      order.push('fails');
      throw new Error('boom');
    });
    const done = new Promise<void>((resolve) =>
      q.run(async () => {
        order.push('fast');
        resolve();
      }),
    );
    await done;
    expect(order).toEqual(['slow', 'fails', 'fast']);
  });
});
