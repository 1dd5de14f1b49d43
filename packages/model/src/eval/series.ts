/** Row indices of each symbol in time order: the per-symbol bar sequence labels and splits walk. */
export function symbolSeries(symbol: ArrayLike<string>, time: ArrayLike<number>): Map<string, Int32Array> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < symbol.length; i++) {
    const s = symbol[i] as string;
    let g = groups.get(s);
    if (!g) groups.set(s, (g = []));
    g.push(i);
  }
  const out = new Map<string, Int32Array>();
  for (const [s, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    out.set(s, Int32Array.from(g.sort((a, b) => (time[a] as number) - (time[b] as number) || a - b)));
  return out;
}

export interface LabelOptions {
  /** Bars ahead. */
  horizon: number;
  /** |return over the horizon| <= band is too small to call: the row gets no label. 0 keeps all. */
  neutralBand: number;
}

export interface DirectionLabels {
  /** 1 if the close `horizon` bars later is higher (beyond the band), 0 if not, -1 if unlabelled. */
  y: Int8Array;
  /**
   * Direction of the last `horizon`-bar return (close now vs `horizon` bars ago): 1 up, 0 not,
   * -1 for a symbol's first bars. Known at the row's time, so the baseline may use it.
   */
  previous: Int8Array;
}

/**
 * Labels from closes, per symbol. A symbol's last `horizon` bars have no future and stay -1, so
 * they can never enter a training or test set with a made-up label.
 */
export function directionLabels(
  close: ArrayLike<number>,
  symbol: ArrayLike<string>,
  time: ArrayLike<number>,
  opts: LabelOptions,
): DirectionLabels {
  const { horizon: h, neutralBand } = opts;
  if (!Number.isInteger(h) || h < 1) throw new RangeError(`horizon must be a positive integer, got ${h}`);
  const y = new Int8Array(close.length).fill(-1);
  const previous = new Int8Array(close.length).fill(-1);
  for (const rows of symbolSeries(symbol, time).values()) {
    for (let j = 0; j < rows.length; j++) {
      const i = rows[j] as number;
      const now = close[i] as number;
      if (j >= h) previous[i] = now > (close[rows[j - h] as number] as number) ? 1 : 0;
      if (j + h >= rows.length) continue;
      const ret = (close[rows[j + h] as number] as number) / now - 1;
      if (!Number.isFinite(ret) || (neutralBand > 0 && Math.abs(ret) <= neutralBand)) continue;
      y[i] = ret > 0 ? 1 : 0;
    }
  }
  return { y, previous };
}
