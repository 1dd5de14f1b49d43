import { decimalPlaces } from '../src/decimals';

describe('decimalPlaces', () => {
  it.each([
    [1, 0],
    [100, 0],
    [1e21, 0],
    [10.15, 2],
    [0.1, 1],
    [0.000001, 6],
    [1e-7, 7],
    [1.5e-7, 8],
    [0.123456789, 9],
    [1e-10, 10],
    [1.0000000001, 10],
    [123456.123456789, 9],
  ])('%p has %p', (value, places) => {
    expect(decimalPlaces(value)).toBe(places);
  });

  it('counts a non-finite number as having too many', () => {
    expect(decimalPlaces(Number.NaN)).toBe(Number.POSITIVE_INFINITY);
    expect(decimalPlaces(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});
