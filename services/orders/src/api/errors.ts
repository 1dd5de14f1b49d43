import { TickstreamError } from '@tickstream/platform';

/** An answer of the internal API other than 2xx: its status and a code the caller maps to its own error. */
export class ApiError extends TickstreamError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}
