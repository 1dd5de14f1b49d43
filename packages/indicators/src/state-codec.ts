import { TickstreamError } from '@tickstream/contracts';

/**
 * Why a stored engine state could not be read: the bytes are cut short, carry trailing data or
 * an impossible count (STATE_CORRUPT), were written in a layout this release does not know
 * (STATE_UNKNOWN_FORMAT), or hold another feature set's state (STATE_FEATURE_SET_MISMATCH, after
 * an upgrade). None is worth retrying with the same bytes.
 */
export type StateCodecErrorCode = 'STATE_CORRUPT' | 'STATE_UNKNOWN_FORMAT' | 'STATE_FEATURE_SET_MISMATCH';

export class StateCodecError extends TickstreamError {
  declare readonly code: StateCodecErrorCode;

  constructor(code: StateCodecErrorCode, message: string) {
    super(code, message);
  }
}

/**
 * Writes state as a flat run of little-endian float64s, straight from the indicators' fields and
 * typed arrays. Written by hand rather than with a serialisation library because the point is to
 * skip the object graph: building ~2.4 KB of JSON-shaped snapshot per symbol and turning every
 * double into decimal text was the features service's largest CPU burst at a bar boundary. One
 * writer is reused for every engine; `take()` copies out what was written and starts afresh.
 */
export class StateWriter {
  private buffer = new ArrayBuffer(4096);
  private view = new DataView(this.buffer);
  private length = 0;

  number(x: number): void {
    if (this.length + 8 > this.buffer.byteLength) this.grow(8);
    this.view.setFloat64(this.length, x, true);
    this.length += 8;
  }

  /**
   * Every field of a state object, in the order its class created them (booleans as 0 or 1).
   * The order is the layout: the golden bytes in the indicators' tests fail if it changes.
   */
  fields(state: object): void {
    const record = state as Record<string, number | boolean>;
    for (const key in record) {
      const v = record[key]!;
      this.number(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    }
  }

  bytes(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buffer.byteLength) this.grow(bytes.length);
    new Uint8Array(this.buffer, this.length, bytes.length).set(bytes);
    this.length += bytes.length;
  }

  /** What was written since the last take, in bytes of their own (the writer's memory is reused). */
  take(): Uint8Array {
    const out = new Uint8Array(this.buffer.slice(0, this.length));
    this.length = 0;
    return out;
  }

  private grow(atLeast: number): void {
    const bigger = new ArrayBuffer(Math.max(this.buffer.byteLength * 2, this.length + atLeast));
    new Uint8Array(bigger).set(new Uint8Array(this.buffer, 0, this.length));
    this.buffer = bigger;
    this.view = new DataView(bigger);
  }
}

/** Reads what a StateWriter wrote, checking every read against the end of the bytes. */
export class StateReader {
  private readonly view: DataView;
  private offset = 0;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get position(): number {
    return this.offset;
  }

  number(): number {
    return this.view.getFloat64(this.claim(8), true);
  }

  /** A count of entries, which must be a whole number no larger than `max` (a window's length). */
  count(max: number): number {
    const n = this.number();
    if (!Number.isInteger(n) || n < 0 || n > max) {
      throw new StateCodecError(
        'STATE_CORRUPT',
        `engine state holds a count of ${n} where at most ${max} fit`,
      );
    }
    return n;
  }

  /** Reads the fields `fields()` wrote into the same kind of state object. */
  fields(state: object): void {
    const record = state as Record<string, number | boolean>;
    for (const key in record) {
      const v = this.number();
      record[key] = typeof record[key] === 'boolean' ? v !== 0 : v;
    }
  }

  bytes(length: number): Uint8Array {
    const at = this.claim(length);
    return this.data.subarray(at, at + length);
  }

  /** The offset of the next `length` bytes, which are then read; refuses to read past the end. */
  private claim(length: number): number {
    const at = this.offset;
    if (at + length > this.data.byteLength) {
      throw new StateCodecError(
        'STATE_CORRUPT',
        `engine state cut short at byte ${at} of ${this.data.byteLength}`,
      );
    }
    this.offset = at + length;
    return at;
  }

  /** Refuses trailing bytes: they mean the state was written in another layout. */
  end(): void {
    if (this.offset !== this.data.byteLength) {
      throw new StateCodecError(
        'STATE_CORRUPT',
        `engine state has ${this.data.byteLength - this.offset} bytes after its end`,
      );
    }
  }
}

/** The state half of an indicator or window: written and read field for field (see StateWriter). */
export interface Encodable {
  writeState(w: StateWriter): void;
  /** Continues exactly where the written instance stood; throws for state of other parameters. */
  readState(r: StateReader): void;
}
