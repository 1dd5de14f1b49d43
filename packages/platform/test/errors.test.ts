import { TickstreamError } from '@tickstream/contracts';
import { DecodeError, isRetryable } from '../src/errors';

describe('isRetryable', () => {
  it("follows a TickstreamError's flag, whichever package's subclass it is", () => {
    expect(isRetryable(new TickstreamError('DOWN', 'down', { retryable: true }))).toBe(true);
    expect(isRetryable(new DecodeError('BAD_RECORD', 'cannot decode'))).toBe(false);
  });

  it("follows KafkaJS's `retriable`, and treats anything unknown as transient", () => {
    expect(isRetryable(Object.assign(new Error('x'), { retriable: false }))).toBe(false);
    expect(isRetryable(Object.assign(new Error('x'), { retriable: true }))).toBe(true);
    expect(isRetryable(new Error('what was that'))).toBe(true);
  });
});
