import { SYMBOL_PATTERN, TickstreamError, isValidSymbol } from '@tickstream/contracts';

/**
 * Returns the symbol unchanged when valid; throws INVALID_SYMBOL otherwise.
 *
 * @example
 *   validateSymbol('BRK.B'); // 'BRK.B'
 *   validateSymbol('aapl');  // throws
 */
export function validateSymbol(symbol: string): string {
  if (!isValidSymbol(symbol)) {
    throw new TickstreamError(
      'INVALID_SYMBOL',
      `invalid symbol ${JSON.stringify(symbol)}: expected ${SYMBOL_PATTERN}`,
    );
  }
  return symbol;
}

/** Validates every symbol and removes duplicates, keeping first-seen order. */
export function validateSymbols(symbols: readonly string[]): string[] {
  return [...new Set(symbols.map(validateSymbol))];
}
