import type { OrderCommand } from '@tickstream/contracts';
import { ValidationCode, validatePlaceCommand } from '../../src/domain';
import { placeCommand } from './fixtures';

const whole = { allowFractional: false };
const fractional = { allowFractional: true };

function codeOf(overrides: Partial<OrderCommand>, opts = whole): string | null {
  const result = validatePlaceCommand(placeCommand(overrides), opts);
  return result.ok ? null : result.code;
}

describe('validatePlaceCommand', () => {
  it('resolves a valid limit order into a ValidOrder', () => {
    const result = validatePlaceCommand(placeCommand(), whole);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        symbol: 'AAPL',
        side: 'BUY',
        qty: 100,
        type: 'LIMIT',
        limitPrice: 150,
        stopPrice: null,
      }),
    });
  });

  it.each<[string, Partial<OrderCommand>, string | null]>([
    ['CANCEL command', { action: 'CANCEL' }, ValidationCode.NOT_A_PLACE_COMMAND],
    ['missing symbol', { symbol: null }, ValidationCode.INVALID_SYMBOL],
    ['lower-case symbol', { symbol: 'aapl' }, ValidationCode.INVALID_SYMBOL],
    ['symbol starting with a digit', { symbol: '1ABC' }, ValidationCode.INVALID_SYMBOL],
    ['symbol of 11 characters', { symbol: 'ABCDEFGHIJK' }, ValidationCode.INVALID_SYMBOL],
    ['class-share symbol', { symbol: 'BRK.B' }, null],
    ['missing side', { side: null }, ValidationCode.INVALID_SIDE],
    ['zero qty', { qty: 0 }, ValidationCode.INVALID_QTY],
    ['negative qty', { qty: -5 }, ValidationCode.INVALID_QTY],
    ['NaN qty', { qty: Number.NaN }, ValidationCode.INVALID_QTY],
    ['infinite qty', { qty: Number.POSITIVE_INFINITY }, ValidationCode.INVALID_QTY],
    ['missing order type', { order_type: null }, ValidationCode.INVALID_ORDER_TYPE],
    ['missing time in force', { time_in_force: null }, ValidationCode.INVALID_TIME_IN_FORCE],
    [
      'IOC stop',
      { order_type: 'STOP', limit_price: null, stop_price: 140, time_in_force: 'IOC' },
      ValidationCode.INVALID_TIME_IN_FORCE,
    ],
    ['LIMIT without limit price', { limit_price: null }, ValidationCode.MISSING_LIMIT_PRICE],
    ['LIMIT with a stop price', { stop_price: 140 }, ValidationCode.UNEXPECTED_STOP_PRICE],
    ['MARKET with a limit price', { order_type: 'MARKET' }, ValidationCode.UNEXPECTED_LIMIT_PRICE],
    ['MARKET with neither price', { order_type: 'MARKET', limit_price: null }, null],
    ['STOP without stop price', { order_type: 'STOP', limit_price: null }, ValidationCode.MISSING_STOP_PRICE],
    [
      'STOP with a limit price',
      { order_type: 'STOP', stop_price: 140 },
      ValidationCode.UNEXPECTED_LIMIT_PRICE,
    ],
    ['STOP_LIMIT with both prices', { order_type: 'STOP_LIMIT', stop_price: 140 }, null],
    ['STOP_LIMIT without stop', { order_type: 'STOP_LIMIT' }, ValidationCode.MISSING_STOP_PRICE],
    [
      'STOP_LIMIT without limit',
      { order_type: 'STOP_LIMIT', limit_price: null, stop_price: 140 },
      ValidationCode.MISSING_LIMIT_PRICE,
    ],
    ['zero limit price', { limit_price: 0 }, ValidationCode.INVALID_PRICE],
    ['infinite limit price', { limit_price: Number.POSITIVE_INFINITY }, ValidationCode.INVALID_PRICE],
    [
      'negative stop price',
      { order_type: 'STOP', limit_price: null, stop_price: -1 },
      ValidationCode.INVALID_PRICE,
    ],
    ['4 decimals above $1', { limit_price: 150.1234 }, null],
    ['5 decimals above $1', { limit_price: 150.12345 }, ValidationCode.INVALID_PRICE_INCREMENT],
    ['6 decimals below $1', { limit_price: 0.123456 }, null],
    ['7 decimals below $1', { limit_price: 0.1234567 }, ValidationCode.INVALID_PRICE_INCREMENT],
    ['binary-unfriendly price 10.15', { limit_price: 10.15 }, null],
    ['a price of 11 decimals below $1', { limit_price: 1e-11 }, ValidationCode.INVALID_PRICE_INCREMENT],
  ])('%s', (_name, overrides, expected) => {
    expect(codeOf(overrides)).toBe(expected);
  });

  describe('fractional quantities', () => {
    const marketDay = { order_type: 'MARKET', limit_price: null, time_in_force: 'DAY', qty: 0.5 } as const;

    it('refuses them for a whole-share account', () => {
      const result = validatePlaceCommand(placeCommand(marketDay), whole);
      expect(result).toMatchObject({ ok: false, code: ValidationCode.FRACTIONAL_QTY_NOT_ALLOWED });
      expect(!result.ok && result.message).toContain('0.5');
    });

    it('accepts them on MARKET DAY orders when the account allows', () => {
      expect(codeOf(marketDay, fractional)).toBeNull();
    });

    it.each<[string, Partial<OrderCommand>]>([
      ['MARKET GTC', { ...marketDay, time_in_force: 'GTC' }],
      ['LIMIT DAY', { ...marketDay, order_type: 'LIMIT', limit_price: 150 }],
    ])('refuses them on %s', (_name, overrides) => {
      const result = validatePlaceCommand(placeCommand(overrides), fractional);
      expect(result).toMatchObject({ ok: false, code: ValidationCode.FRACTIONAL_QTY_NOT_ALLOWED });
      expect(!result.ok && result.message).toMatch(/only allowed on MARKET DAY/);
    });

    it('refuses more than 9 decimals', () => {
      expect(codeOf({ ...marketDay, qty: 0.1234567891 }, fractional)).toBe(ValidationCode.INVALID_QTY);
      expect(codeOf({ ...marketDay, qty: 1.0000000001 }, fractional)).toBe(ValidationCode.INVALID_QTY);
    });

    it('refuses a quantity too small to carry, naming it as sent, whatever the account', () => {
      for (const opts of [whole, fractional]) {
        const result = validatePlaceCommand(placeCommand({ ...marketDay, qty: 1e-10 }), opts);
        expect(result).toMatchObject({ ok: false, code: ValidationCode.INVALID_QTY });
        expect(!result.ok && result.message).toBe('quantity 1e-10 has more than 9 decimals');
      }
    });
  });

  it('names the offending value in the message', () => {
    const result = validatePlaceCommand(placeCommand({ limit_price: 150.12345 }), whole);
    expect(!result.ok && result.message).toBe(
      'limit price 150.12345 has more than 4 decimals; prices at or above $1 allow at most 4',
    );
  });
});
