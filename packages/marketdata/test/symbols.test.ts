import { isValidSymbol } from '@tickstream/contracts';
import { validateSymbol, validateSymbols } from '@tickstream/marketdata';

describe('symbol validation', () => {
  it.each(['AAPL', 'BRK.B', 'A', 'FAKEPACA', 'SPY', 'ABCDEFGHIJ'])('accepts %s', (s) => {
    expect(validateSymbol(s)).toBe(s);
  });

  it.each(['', 'aapl', '1ABC', 'BRK.', 'BRK..B', 'ABCDEFGHIJK', 'AA PL', '.A', 'BRK-B'])(
    'refuses %j',
    (s) => {
      expect(isValidSymbol(s)).toBe(false);
      expect(() => validateSymbol(s)).toThrow(expect.objectContaining({ code: 'INVALID_SYMBOL' }));
    },
  );

  it('removes duplicates, keeping order', () => {
    expect(validateSymbols(['SPY', 'AAPL', 'SPY'])).toEqual(['SPY', 'AAPL']);
  });
});
