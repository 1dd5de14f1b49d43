import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { BarsBySymbol } from './bar-sources';

/**
 * Writes bars in the CSV format `--csv` and the replay source read, so bars fetched once from
 * Alpaca (rate-limited, needs keys) can be trained on again offline.
 */
export async function writeBarCsv(file: string, bars: BarsBySymbol): Promise<number> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  let rows = 0;
  const write = async (line: string): Promise<void> => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  await write('symbol,timestamp,open,high,low,close,volume,vwap,trade_count');
  for (const [symbol, list] of bars) {
    for (const b of list) {
      await write(
        [
          symbol,
          new Date(b.start_time).toISOString(),
          b.open,
          b.high,
          b.low,
          b.close,
          b.volume,
          b.vwap ?? '',
          b.trade_count ?? '',
        ].join(','),
      );
      rows++;
    }
  }
  out.end();
  await once(out, 'finish');
  return rows;
}
