/**
 * Alpaca's US equity tickers, the one rule every service, the web client and the tools apply: 1
 * to 10 characters, an upper-case letter first, then letters and digits, with single dots between
 * parts for share classes (BRK.B); the test feed's FAKEPACA fits. Lower case is refused rather
 * than fixed up so a typo in config fails loudly; callers that take user input upper-case it first.
 */
export const SYMBOL_PATTERN = /^(?=.{1,10}$)[A-Z][A-Z0-9]*(?:\.[A-Z0-9]+)*$/;

/** Whether `symbol` is a ticker symbol (SYMBOL_PATTERN). */
export function isValidSymbol(symbol: string): boolean {
  return SYMBOL_PATTERN.test(symbol);
}
