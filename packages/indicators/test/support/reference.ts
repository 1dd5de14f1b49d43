import { MACD } from 'technicalindicators';
import { identity } from './random-walk';

/**
 * technicalindicators' MACD(12, 26, 9) of `close`, set to the classic definition ours follows:
 * EMA oscillator and EMA signal (it defaults both to SMA).
 */
export function referenceMacd(close: number[]): ReturnType<typeof MACD.calculate> {
  return MACD.calculate({
    values: close,
    fastPeriod: 12,
    slowPeriod: 26,
    signalPeriod: 9,
    SimpleMAOscillator: false,
    SimpleMASignal: false,
    format: identity,
  });
}
