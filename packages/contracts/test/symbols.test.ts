import { SYMBOL_PATTERN, isValidSymbol } from '../src/symbols';

describe('SYMBOL_PATTERN', () => {
  it.each(['AAPL', 'BRK.B', 'A', 'FAKEPACA', 'SPY', 'ABCDEFGHIJ', 'BF.B', 'A1', 'ABC.D.E'])(
    'accepts %s',
    (s) => {
      expect(isValidSymbol(s)).toBe(true);
    },
  );

  it.each([
    '',
    'aapl',
    '1ABC',
    'BRK.',
    'BRK..B',
    'ABCDEFGHIJK',
    'ABCDEFGH.IJ',
    'AA PL',
    '.A',
    'BRK-B',
    'AAPL\n',
  ])('refuses %j', (s) => {
    expect(isValidSymbol(s)).toBe(false);
  });

  it('works as a JSON Schema pattern too (no flags)', () => {
    expect(SYMBOL_PATTERN.flags).toBe('');
    expect(new RegExp(SYMBOL_PATTERN.source).test('BRK.B')).toBe(true);
  });
});
