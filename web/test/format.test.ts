import { fmtPct, fmtPrice, fmtQty, fmtUsd, toNumber, toneUsd } from '../src/format';

it('formats amounts sent as numbers or as exact decimal strings the same way', () => {
  expect(fmtUsd(-1234.5)).toBe('-$1,234.50');
  expect(fmtUsd('-1234.50')).toBe('-$1,234.50');
  expect(fmtPrice('263.8200')).toBe('263.82');
  expect(fmtQty('10')).toBe('10');
  expect(fmtPct('0.0125')).toBe('+1.25%');
});

it('shows a dash for what is not a number, never NaN', () => {
  expect(fmtUsd(null)).toBe('—');
  expect(fmtUsd('')).toBe('—');
  expect(fmtUsd('12abc')).toBe('—');
  expect(fmtUsd(Number.NaN)).toBe('—');
  expect(toNumber(' 1e3 ')).toBe(1000);
});

it('colours a dollar amount only when it shows as more than $0.00', () => {
  expect(toneUsd(-0.004)).toBe('');
  expect(toneUsd('-0.01')).toBe('neg');
  expect(toneUsd(0.02)).toBe('pos');
});
