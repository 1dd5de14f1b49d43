import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Bar } from '@tickstream/contracts';
import { FEATURE_NAMES } from '@tickstream/contracts';
import { computeFeatureSeries } from '@tickstream/indicators';
import { FAKE_KEY, FakeAlpaca } from '../../../../test/support/fake-alpaca';
import { silentLog } from '../../../../test/support/kafka';
import { writeBarCsv } from '../../src/training/bar-csv';
import { loadBars, simulatedBars } from '../../src/training/bar-sources';
import { buildDataset } from '../../src/training/dataset';

const sim = {
  kind: 'sim',
  symbols: ['MSFT', 'AAPL'],
  bars: 120,
  seed: 8,
  intervalMs: 60_000,
  startTime: Date.UTC(2025, 5, 2, 13, 30),
} as const;

describe('training bar sources and the feature panel', () => {
  it('builds the panel from the serving feature code, symbols in name order, as float32', () => {
    const bars = simulatedBars(sim);
    const { panel, summary } = buildDataset(bars);
    const aapl = computeFeatureSeries(bars.get('AAPL')!);
    const msft = computeFeatureSeries(bars.get('MSFT')!);
    expect(summary).toMatchObject({
      symbols: 2,
      bars: 240,
      rows: aapl.length + msft.length,
      droppedNonFinite: 0,
      intervalsMs: [60_000],
    });
    expect(Array.from(panel.symbol)).toEqual([...aapl.map(() => 'AAPL'), ...msft.map(() => 'MSFT')]);
    expect(Array.from(panel.time)).toEqual([...aapl, ...msft].map((r) => r.barTime));
    const width = FEATURE_NAMES.length;
    expect(Array.from(panel.x.subarray(0, width))).toEqual(aapl[0]!.features.map(Math.fround));
  });

  it('reads a bar CSV, skipping bad rows', async () => {
    const bars = simulatedBars(sim);
    const lines = ['symbol,timestamp,open,high,low,close,volume'];
    for (const list of bars.values())
      for (const b of list)
        lines.push(
          [b.symbol, new Date(b.start_time).toISOString(), b.open, b.high, b.low, b.close, b.volume].join(
            ',',
          ),
        );
    lines.push('AAPL,not-a-time,1,1,1,1,1');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bars-')), 'bars.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const read = await loadBars({ kind: 'csv', file, intervalMs: 60_000 }, silentLog);
    expect(read.get('AAPL')!.map((b) => [b.start_time, b.close])).toEqual(
      bars.get('AAPL')!.map((b) => [b.start_time, b.close]),
    );
    expect(read.get('MSFT')).toHaveLength(120);
  });

  it('writes bars as CSV that reads back to the same bars (--save-csv, then --csv)', async () => {
    const bars = simulatedBars(sim);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bars-')), 'saved.csv');
    expect(await writeBarCsv(file, bars)).toBe(240);
    const read = await loadBars({ kind: 'csv', file, intervalMs: 60_000 }, silentLog);
    const strip = (list: readonly Bar[]) => list.map(({ ingest_time: _t, source: _s, ...rest }) => rest);
    for (const [symbol, list] of bars) expect(strip(read.get(symbol)!)).toEqual(strip(list));
  });

  it("reads Alpaca's historical bars through the shared backfill client", async () => {
    const alpaca = await FakeAlpaca.start();
    try {
      const t = (i: number) => new Date(Date.UTC(2025, 10, 20, 14, 30 + i)).toISOString();
      alpaca.setBars(
        'SPY',
        [0, 1, 2].map((i) => ({ t: t(i), o: 500, h: 501, l: 499, c: 500 + i, v: 100, n: 3, vw: 500 })),
      );
      const read = await loadBars(
        {
          kind: 'alpaca',
          symbols: ['SPY'],
          start: '2025-11-20',
          timeframe: '1Min',
          keyId: FAKE_KEY.key,
          secretKey: FAKE_KEY.secret,
          baseUrl: alpaca.restUrl,
        },
        silentLog,
      );
      expect(read.get('SPY')!.map((b) => b.close)).toEqual([500, 501, 502]);
    } finally {
      await alpaca.close();
    }
  });
});
