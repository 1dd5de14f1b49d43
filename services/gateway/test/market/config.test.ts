import { z } from 'zod';
import { fetchOptions, marketEnv } from '../../src/market';

const parse = (env: Record<string, string>) => z.object(marketEnv).parse(env);

describe('market feed fetch settings', () => {
  it('answer each fetch with whatever has arrived unless told otherwise', () => {
    expect(fetchOptions(parse({}))).toEqual({ minBytes: 1, maxWaitTimeInMs: 100 });
  });

  it('take fuller fetches from MARKET_FETCH_MIN_BYTES and MARKET_FETCH_MAX_WAIT_MS', () => {
    expect(fetchOptions(parse({ MARKET_FETCH_MIN_BYTES: '4096', MARKET_FETCH_MAX_WAIT_MS: '5' }))).toEqual({
      minBytes: 4096,
      maxWaitTimeInMs: 5,
    });
    expect(() => parse({ MARKET_FETCH_MAX_WAIT_MS: '0' })).toThrow();
  });
});
