import { TickstreamError } from '@tickstream/contracts';

/**
 * Alpaca's US equity tickers: an upper-case letter, then up to nine letters, digits or dots.
 * Dots carry share classes (BRK.B) and the rule admits the test feed's FAKEPACA. Lower case is
 * rejected rather than fixed up so a typo in config fails loudly instead of subscribing to
 * something else; callers that take user input upper-case it first.
 */
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9.]{0,9}$/;

export function isValidSymbol(symbol: string): boolean {
  return SYMBOL_PATTERN.test(symbol) && !symbol.endsWith('.') && !symbol.includes('..');
}

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
