import { listOrdersQuery, placeOrderBody } from '@tickstream/contracts';
import { parse, parseQuery } from '../../src/request';

type Schema = Parameters<typeof parse>[0];

/** The field issues `read` (parse by default) throws for `input`, as [path, message]. */
function issues(
  schema: Schema,
  input: unknown,
  read = (s: Schema, i: unknown) => parse(s, i),
): [string, string][] {
  try {
    read(schema, input);
  } catch (err) {
    return (err as { details: { path: string; message: string }[] }).details.map((d) => [d.path, d.message]);
  }
  throw new Error('parsed');
}
const query = (s: Schema, i: unknown) => parseQuery(s, i as Record<string, unknown>);

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

  it('names a query parameter given more than once, and one that is not a number', () => {
    expect(issues(listOrdersQuery, { limit: ['1', '2'], status: 'open' }, query)).toEqual([
      ['limit', 'given more than once; send it once'],
    ]);
    expect(issues(listOrdersQuery, { limit: 'ten' }, query)).toEqual([['limit', 'expected a number']]);
    expect(parseQuery(listOrdersQuery, { limit: '2', status: 'open' })).toEqual({ limit: 2, status: 'open' });
  });
});
