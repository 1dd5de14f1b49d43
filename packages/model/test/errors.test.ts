import { TickstreamError } from '@tickstream/contracts';
import { ModelError } from '../src/errors';

it('ModelError is a TickstreamError with its code, not retryable unless told', () => {
  const err = new ModelError('MODEL_INVALID', 'not an ONNX model');
  expect(err).toBeInstanceOf(TickstreamError);
  expect(err).toMatchObject({ name: 'ModelError', code: 'MODEL_INVALID', retryable: false });
  expect(new ModelError('TRAINING_FAILED', 'worker died', { retryable: true }).retryable).toBe(true);
});
