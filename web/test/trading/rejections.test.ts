import fs from 'node:fs';
import path from 'node:path';
import { ApiError, describeError } from '../../src/api/errors';
import { describeRejection, describeValidation, knownRejection } from '../../src/trading/rejections';

// The codes docs/API.md promises clients, read from the doc so a new code cannot go unworded.
function documentedCodes(): string[] {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/API.md'), 'utf8');
  const start = doc.indexOf('Rejection and cancel codes');
  const section = doc.slice(start, doc.indexOf('\n\n', doc.indexOf('- cancels and expiries', start)));
  return [...new Set([...section.matchAll(/`([A-Z][A-Z_]{3,})`/g)].map((m) => m[1]!))];
}

it('has a sentence for every rejection and cancel code of the order service', () => {
  const codes = documentedCodes();
  expect(codes.length).toBeGreaterThan(30);
  expect(codes.filter((c) => !knownRejection(c))).toEqual([]);
});

it('reads a rejection as its sentence, then the service detail without the code prefix', () => {
  expect(
    describeRejection(
      'MAX_ORDER_QTY',
      'MAX_ORDER_QTY: order quantity 1,000,000 exceeds your limit of 10,000 shares',
    ),
  ).toBe(
    'The order is larger than your per-order share limit. Order quantity 1,000,000 exceeds your limit of 10,000 shares.',
  );
  expect(describeRejection('CANCELED_BY_USER', null)).toBe('You canceled it.');
  expect(describeRejection(null, null)).toBe('No reason was given.');
  expect(describeRejection('SOMETHING_NEW', 'SOMETHING_NEW: the detail')).toBe('The detail.');
});

it('turns VALIDATION_FAILED details into plain sentences', () => {
  expect(describeValidation([{ path: 'qty', message: 'Number must be less than or equal to 1000000' }])).toBe(
    'Quantity can be at most 1,000,000.',
  );
  expect(
    describeError(
      new ApiError(400, 'VALIDATION_FAILED', 'invalid request body', null, [
        { path: 'limit_price', message: 'required for LIMIT' },
        { path: 'side', message: 'expected one of BUY, SELL' },
      ]),
    ),
  ).toBe('Limit price required for LIMIT. Side must be one of BUY, SELL.');
  expect(describeError(new ApiError(400, 'VALIDATION_FAILED', 'invalid request body'))).toBe(
    'Invalid request body.',
  );
});
