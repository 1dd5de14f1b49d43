import type { FeatureVector, Prediction, Quote, Trade } from '@tickstream/contracts';
import { FEATURE_NAMES } from '@tickstream/contracts';
import { SnapshotStore } from '../../src/market/snapshots';
import { bar, quote } from '../support/records';

// Worst realistic widths: prices and ratios with 17 significant digits, 13-digit times.
const wide = (i: number) => 100 + i / 3;

function fullStore(barsPerSymbol: number, barsSent: number): SnapshotStore {
  const store = new SnapshotStore(barsPerSymbol);
  for (let i = 0; i < barsSent; i++) {
    const b = bar('BRK.B', i, barsSent);
    store.bar({
      ...b,
      open: wide(i),
      high: wide(i + 1),
      low: wide(i - 1),
      close: wide(i + 2),
      vwap: wide(i + 3),
      volume: 123_456_789 + i,
    });
  }
  const q: Quote = {
    ...quote('BRK.B', wide(1)),
    ask_price: wide(2),
    bid_exchange: 'V',
    ask_exchange: 'V',
    conditions: ['R'],
    tape: 'A',
  };
  store.quote(q);
  const t: Trade = {
    symbol: 'BRK.B',
    event_time: Date.now(),
    ingest_time: Date.now(),
    price: wide(5),
    size: 100,
    exchange: 'V',
    trade_id: '52983525029461',
    conditions: ['@', 'I'],
    tape: 'A',
    source: 'alpaca',
  };
  store.trade(t);
  const f = {
    symbol: 'BRK.B',
    bar_time: Date.now(),
    interval_ms: 60_000,
    feature_set_version: 'v1',
  } as Record<string, unknown>;
  for (const k of ['close', ...FEATURE_NAMES]) f[k] = wide(7);
  store.features({
    ...f,
    bar_ingest_time: Date.now(),
    computed_time: Date.now(),
  } as unknown as FeatureVector);
  const p: Prediction = {
    symbol: 'BRK.B',
    bar_time: Date.now(),
    prob_up: wide(9) / 1000,
    label: 'DOWN',
    horizon_bars: 5,
    model_version: '2026-11-27T10:00:00Z-abcdef12',
    feature_set_version: 'v1',
    bar_ingest_time: Date.now(),
    features_time: Date.now(),
    predicted_time: Date.now(),
    latency_ms: 12,
  };
  store.prediction(p);
  return store;
}

describe('SnapshotStore', () => {
  it('keeps the newest BARS_PER_SYMBOL bars, oldest first', () => {
    const snap = fullStore(500, 800).snapshot('BRK.B');
    expect(snap.bars).toHaveLength(500);
    expect(snap.bars[0]!.start_time).toBeLessThan(snap.bars[499]!.start_time);
  });

  // docs/API.md: a snapshot is at most about 150 KB of JSON at the default 500 bars.
  it('bounds a snapshot at the default 500 bars to 150 KB of JSON', () => {
    const bytes = Buffer.byteLength(JSON.stringify(fullStore(500, 800).snapshot('BRK.B')));
    expect(bytes).toBeLessThanOrEqual(150 * 1024);
    expect(bytes).toBeGreaterThan(100 * 1024);
  });

  it('sends an empty snapshot for a symbol it has seen nothing of', () => {
    expect(new SnapshotStore(500).snapshot('NEW')).toEqual({
      symbol: 'NEW',
      bars: [],
      quote: null,
      trade: null,
      features: null,
      prediction: null,
    });
  });
});
