import { ModelError } from '../errors';
import type { FeatureRows } from '../forest/types';

/** The parts of a panel the check compares: feature rows and closes, keyed by symbol and bar time. */
export interface TimedRows {
  x: FeatureRows;
  nFeatures: number;
  symbol: ArrayLike<string>;
  time: ArrayLike<number>;
  close: ArrayLike<number>;
}

/** What the point-in-time check compared, for the report. */
export interface LookAheadCheck {
  /** Bar times at which the data was cut. */
  cuts: number[];
  /** Rows at or before a cut whose features were recomputed from the data up to it and compared. */
  rowsCompared: number;
}

const key = (symbol: string, time: number) => `${symbol}\u0000${time}`;

/**
 * The definition of no look-ahead, tested: a row's features (and close) must not change when every
 * bar after the row is taken away. For each cut, `at(cut)` rebuilds the rows from the bars up to
 * the cut alone; every row of `full` at or before the cut must be there with the same numbers.
 * A feature that peeks at a later bar changes (or disappears) near the cut. Throws LOOKAHEAD
 * naming the first rows that differ, so a leaking feature is refused, never traded.
 *
 * @example
 *   checkNoLookAhead(panel, (cut) => buildPanel(barsUpTo(cut)), [t1, t2]);
 */
export function checkNoLookAhead(
  full: TimedRows,
  at: (cut: number) => TimedRows,
  cuts: readonly number[],
): LookAheadCheck {
  const w = full.nFeatures;
  let rowsCompared = 0;
  const problems: string[] = [];
  for (const cut of cuts) {
    const part = at(cut);
    const index = new Map<string, number>();
    for (let i = 0; i < part.symbol.length; i++)
      if ((part.time[i] as number) <= cut)
        index.set(key(part.symbol[i] as string, part.time[i] as number), i);
    for (let i = 0; i < full.symbol.length && problems.length < 3; i++) {
      const t = full.time[i] as number;
      if (t > cut) continue;
      const s = full.symbol[i] as string;
      const j = index.get(key(s, t));
      const when = `${s} at ${t}`;
      rowsCompared++;
      if (j === undefined) {
        problems.push(`the row of ${when} exists only with bars after ${cut}`);
        continue;
      }
      if (!Object.is(part.close[j], full.close[i]))
        problems.push(`the close of ${when} changes without bars after ${cut}`);
      for (let f = 0; f < w; f++)
        if (!Object.is(part.x[j * w + f], full.x[i * w + f])) {
          problems.push(
            `feature ${f} of ${when} is ${full.x[i * w + f]} with later bars, ${part.x[j * w + f]} without`,
          );
          break;
        }
    }
    if (problems.length > 0)
      throw new ModelError('LOOKAHEAD', `features use bars after their own time: ${problems.join('; ')}`);
  }
  return { cuts: [...cuts], rowsCompared };
}
