import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Bar } from '@tickstream/contracts';
import { parseBarCsv } from '@tickstream/marketdata';

const CSV = [
  'symbol,timestamp,open,high,low,close,volume,vwap,trade_count',
  'AAPL,2025-11-20T14:30:00Z,100,101,99.5,100.5,1200,100.2,12',
  'AAPL,2025-11-20T14:31:00Z,100.5,100.9,100.1,100.8,900,,',
  'AAPL,2025-11-20T14:32:00Z,abc,101,99,100,10,,',
  '',
  'AAPL,2025-11-20T14:33:00Z,100,99,98,100,10,,',
  'AAPL,yesterday,100,101,99,100,10,,',
  'aapl,2025-11-20T14:35:00Z,100,101,99,100,10,,',
  'AAPL,2025-11-20T14:36:00Z,100,101,99\r',
  'BRK.B,2025-11-20T14:37:00.000Z,500,501,499,500,-1,,',
  'BRK.B,2025-11-20T14:38:00Z,500,501,499,500,5,500.1,1\r',
].join('\n');

async function collect(input: string | Readable): Promise<{ bars: Bar[]; bad: Array<[number, string]> }> {
  const bad: Array<[number, string]> = [];
  const bars: Bar[] = [];
  for await (const b of parseBarCsv(input, {
    onBadRow: (line, reason) => bad.push([line, reason]),
    clock: () => 1,
  }))
    bars.push(b);
  return { bars, bad };
}

describe('parseBarCsv', () => {
  it('parses good rows and reports bad ones by line number', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'replay-'));
    const file = join(dir, 'bars.csv');
    await writeFile(file, CSV);
    const { bars, bad } = await collect(file);
    expect(bars).toEqual([
      {
        symbol: 'AAPL',
        start_time: Date.UTC(2025, 10, 20, 14, 30),
        interval_ms: 60_000,
        open: 100,
        high: 101,
        low: 99.5,
        close: 100.5,
        volume: 1200,
        vwap: 100.2,
        trade_count: 12,
        is_update: false,
        ingest_time: 1,
        source: 'replay',
      },
      expect.objectContaining({ start_time: Date.UTC(2025, 10, 20, 14, 31), vwap: null, trade_count: null }),
      expect.objectContaining({ symbol: 'BRK.B', volume: 5, trade_count: 1 }),
    ]);
    expect(bad.map(([line]) => line)).toEqual([4, 6, 7, 8, 9, 10]);
    expect(bad[0]?.[1]).toMatch(/prices/);
    expect(bad[1]?.[1]).toMatch(/high\/low/);
    expect(bad[2]?.[1]).toMatch(/timestamp/);
    expect(bad[3]?.[1]).toMatch(/symbol/);
    expect(bad[4]?.[1]).toMatch(/expected 9 fields/);
    expect(bad[5]?.[1]).toMatch(/volume/);
  });

  it('reads a stream as well as a path, columns in any order', async () => {
    const input = Readable.from([
      'close,symbol,timestamp,open,high,low,volume\n',
      '10,SPY,2025-11-20T14:30:00Z,10,11,9,5\n',
    ]);
    const { bars, bad } = await collect(input);
    expect(bad).toEqual([]);
    expect(bars).toEqual([expect.objectContaining({ symbol: 'SPY', close: 10, open: 10, vwap: null })]);
  });

  it('refuses a header without the required columns', async () => {
    await expect(collect(Readable.from(['symbol,timestamp,close\n']))).rejects.toThrow(
      /lacks open, high, low, volume/,
    );
  });
});
