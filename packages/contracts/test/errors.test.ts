import { TickstreamError } from '../src/errors';

class ExampleError extends TickstreamError {}

describe('TickstreamError', () => {
  it('carries a code, the message, and is not retryable unless told', () => {
    const err = new ExampleError('EXAMPLE_FAILED', 'it failed');
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'ExampleError',
      code: 'EXAMPLE_FAILED',
      message: 'it failed',
      retryable: false,
    });
    expect(err.cause).toBeUndefined();
    expect(err.details).toBeUndefined();
  });

  it('keeps the retryable flag, the cause and the details it is given', () => {
    const cause = new Error('socket hang up');
    const details = [{ path: 'qty', message: 'must be positive' }];
    const err = new TickstreamError('UPSTREAM_DOWN', 'try later', { retryable: true, cause, details });
    expect(err).toMatchObject({ retryable: true, cause, details });
  });
});
