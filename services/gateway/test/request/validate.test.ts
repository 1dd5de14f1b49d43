import { placeOrderBody } from '@tickstream/contracts';
import { parse } from '../../src/request';

/** The field issues `parse` throws for `input`, as [path, message]. */
function issues(schema: Parameters<typeof parse>[0], input: unknown): [string, string][] {
  try {
    parse(schema, input);
  } catch (err) {
    return (err as { details: { path: string; message: string }[] }).details.map((d) => [d.path, d.message]);
  }
  throw new Error('parsed');
}

describe('parse', () => {
  it('says a number out of JSON range (1e999 reads as Infinity) must be finite', () => {
    const order = JSON.parse(
      '{"symbol":"AAPL","side":"BUY","type":"LIMIT","qty":1e999,"limit_price":-1e999}',
    );
    expect(issues(placeOrderBody, order)).toEqual([
      ['qty', 'expected a finite number'],
      ['limit_price', 'expected a finite number'],
    ]);
  });
});
