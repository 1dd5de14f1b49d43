import type { Bar, MarketSink, Quote, SourceLogger, Trade } from '../../src/sources';

export interface CollectingSink extends MarketSink {
  trades: Trade[];
  quotes: Quote[];
  bars: Bar[];
}

export function collectingSink(): CollectingSink {
  const sink: CollectingSink = {
    trades: [],
    quotes: [],
    bars: [],
    trade: (t) => void sink.trades.push(t),
    quote: (q) => void sink.quotes.push(q),
    bar: (b) => void sink.bars.push(b),
  };
  return sink;
}

export interface CapturingLogger extends SourceLogger {
  lines: Array<{ level: 'info' | 'warn' | 'error'; msg: string; obj: object }>;
}

export function capturingLogger(): CapturingLogger {
  const lines: CapturingLogger['lines'] = [];
  return {
    lines,
    info: (obj, msg = '') => void lines.push({ level: 'info', msg, obj }),
    warn: (obj, msg = '') => void lines.push({ level: 'warn', msg, obj }),
    error: (obj, msg = '') => void lines.push({ level: 'error', msg, obj }),
  };
}

/** Polls until the condition holds; keeps tests free of fixed sleeps. */
export async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
