import type { Bar } from '@tickstream/contracts';
import { decodeEngineState } from '@tickstream/indicators';
import { createMarketSimulator } from '@tickstream/marketdata';
import type { Message } from 'kafkajs';
import { createBarsHandler } from '../src/handler';
import { FeatureProcessor } from '../src/processor';

const START = Date.UTC(2026, 10, 2, 14, 30);
const STATE = 'features.state';

function simulatedBars(count: number): Bar[] {
  const sim = createMarketSimulator({
    seed: 5,
    symbols: ['AAPL', 'MSFT'],
    startTime: START,
    barIntervalMs: 60_000,
  });
  return sim
    .step(START + count * 60_000, { barsOnly: true })
    .filter((e) => e.kind === 'bar')
    .map((e) => ({ ...(e.record as Omit<Bar, 'ingest_time'>), ingest_time: START }));
}

type Out =
  { id: 'features' | 'featuresLatest'; messages: Message[] } | { topic: string; messages: Message[] };
const topicOf = (b: Out) => ('id' in b ? b.id : b.topic);

/**
 * A broker in memory: what it has written, per topic (the state changelog by symbol), and a hook
 * deciding the fate of each request. A request with several topics may be written in part, as a
 * real one can: `partial` topics land while the request fails.
 */
function memoryBroker() {
  const written = new Map<string, Message[]>();
  const state = new Map<string, Buffer>();
  const requests: string[][] = [];
  let fate: (topics: string[]) => 'ok' | { fail: Error; partial?: string[] } = () => 'ok';
  const write = (b: Out) => {
    if (topicOf(b) === STATE) for (const m of b.messages) state.set(String(m.key), m.value as Buffer);
    else written.set(topicOf(b), [...(written.get(topicOf(b)) ?? []), ...b.messages]);
  };
  const producer = {
    encode: async (_id: string, records: readonly { key: string; value: unknown }[]) =>
      records.map((r) => ({ key: r.key, value: JSON.stringify(r.value) })),
    sendBatch: async (batches: Out[]) => {
      const topics = batches.map(topicOf);
      requests.push(topics);
      const f = fate(topics);
      for (const b of batches) if (f === 'ok' || f.partial?.includes(topicOf(b))) write(b);
      if (f !== 'ok') throw f.fail;
    },
  };
  const changelog = {
    topic: STATE,
    messages: (states: Map<string, Buffer>) => [...states].map(([symbol, value]) => ({ key: symbol, value })),
    remember: () => undefined,
    catchUp: async () => undefined,
  };
  return {
    producer: producer as unknown as Parameters<typeof createBarsHandler>[0]['producer'],
    changelog,
    state,
    requests,
    vectorsOf: (bar: Bar) =>
      (written.get('features') ?? []).filter(
        (m) =>
          (JSON.parse(String(m.value)) as { bar_time: number; symbol: string }).bar_time === bar.start_time &&
          String(m.key) === bar.symbol,
      ).length,
    /** The indicator values of the vectors written for `bar`. */
    valuesOf: (bar: Bar) =>
      (written.get('features') ?? [])
        .map((m) => JSON.parse(String(m.value)) as Record<string, unknown>)
        .filter((v) => v.bar_time === bar.start_time && v.symbol === bar.symbol)
        .map(({ rsi14, macd_hist_norm, sma20_dist, bb_pctb }) => ({
          rsi14,
          macd_hist_norm,
          sma20_dist,
          bb_pctb,
        })),
    setFate: (f: typeof fate) => (fate = f),
  };
}

/** A features instance reading its state from the broker's changelog, as after a (re)start. */
const instance = (
  broker: ReturnType<typeof memoryBroker>,
  stateOf: (symbol: string) => Buffer | undefined = (symbol) => broker.state.get(symbol),
) => {
  const processor = new FeatureProcessor(stateOf);
  return createBarsHandler({
    processor,
    producer: broker.producer,
    trailingProducer: broker.producer,
    changelog: broker.changelog,
  });
};

describe('features bars handler: vectors, then state', () => {
  const bars = simulatedBars(120);
  const last = bars.slice(-2);
  const before = bars.slice(0, -2);

  it('sends the vectors, the latest vectors and the state in requests of their own, each once the one before is acknowledged', async () => {
    const broker = memoryBroker();
    await instance(broker)(bars);
    expect(broker.requests).toEqual([['features'], ['featuresLatest'], [STATE]]);
  });

  it('loses no vector to a crash whose request wrote the state and not the vectors', async () => {
    const broker = memoryBroker();
    await instance(broker)(before);
    // The request carrying the last bars' output fails, and only the changelog's partitions land.
    broker.setFate(() => ({ fail: new Error('connection lost'), partial: [STATE] }));
    await expect(instance(broker)(last)).rejects.toThrow('connection lost');
    // The process dies; a new instance takes the uncommitted bars again from the broker's state.
    broker.setFate(() => 'ok');
    await instance(broker)(last);
    for (const bar of last) expect(broker.vectorsOf(bar)).toBe(1);
  });

  it('computes the vectors again when a failed batch is retried in the same process', async () => {
    const broker = memoryBroker();
    const handle = instance(broker);
    await handle(before);
    broker.setFate(() => ({ fail: new Error('request timed out') }));
    await expect(handle(last)).rejects.toThrow('request timed out');
    broker.setFate(() => 'ok');
    await handle(last);
    for (const bar of last) expect(broker.vectorsOf(bar)).toBe(1);
  });

  it('restores a failed batch from the state last written, not an older one its changelog reader read late', async () => {
    const [older, middle] = [before.slice(0, -2), before.slice(-2)];
    const reference = memoryBroker();
    const straight = instance(reference);
    for (const batch of [older, middle, last]) await straight(batch);

    // The instance's view of the changelog, as StateChangelog keeps it: what it wrote, and what
    // its reader reads; catchUp() reads to the end of the log (the broker's state).
    const broker = memoryBroker();
    const view = new Map<string, Buffer>();
    const changelog = {
      ...broker.changelog,
      remember: (states: Map<string, Buffer>) => states.forEach((s, k) => view.set(k, s)),
      catchUp: async () => broker.state.forEach((s, k) => view.set(k, s)),
    };
    const processor = new FeatureProcessor((symbol) => view.get(symbol));
    const handle = createBarsHandler({
      processor,
      producer: broker.producer,
      trailingProducer: broker.producer,
      changelog,
    });
    await handle(older);
    const afterOlder = new Map(broker.state);
    await handle(middle);
    // The reader, behind, now reads the snapshots written after `older`.
    afterOlder.forEach((s, k) => view.set(k, s));
    broker.setFate(() => ({ fail: new Error('request timed out') }));
    await expect(handle(last)).rejects.toThrow('request timed out');
    broker.setFate(() => 'ok');
    await handle(last);
    for (const bar of last) expect(broker.valuesOf(bar)).toEqual(reference.valuesOf(bar));
  });

  it('computes the bars again that came before the one whose state could not be restored', async () => {
    const broker = memoryBroker();
    await instance(broker)(before);
    // A new instance whose restore fails for MSFT (a snapshot it cannot read): the batch fails
    // after AAPL's bar has gone through its engine. Handled again, here one bar at a time as the
    // consumer does for an error that is not retryable, before dead-lettering the one that fails.
    const unreadable = (symbol: string) => {
      if (symbol === 'MSFT') throw new Error('unreadable snapshot');
      return broker.state.get(symbol);
    };
    const handle = instance(broker, unreadable);
    const [aapl, msft] = [last.find((b) => b.symbol === 'AAPL')!, last.find((b) => b.symbol === 'MSFT')!];
    await expect(handle([aapl, msft])).rejects.toThrow('unreadable snapshot');
    await handle([aapl]);
    await expect(handle([msft])).rejects.toThrow('unreadable snapshot');
    expect(broker.vectorsOf(aapl)).toBe(1);
    expect(decodeEngineState(broker.state.get('AAPL')!).snapshot().lastBar?.start_time).toBe(aapl.start_time);
  });
});
