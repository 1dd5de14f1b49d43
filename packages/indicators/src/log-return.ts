import type { RingBufferSnapshot } from './window/ring-buffer';
import { RingBuffer } from './window/ring-buffer';

export interface LogReturnSnapshot {
  readonly lag: number;
  readonly closes: RingBufferSnapshot;
  readonly current: number;
  readonly warm: boolean;
}

/** ln(close_t / close_{t-lag}) over bars; warm after lag + 1 updates. Closes must be positive. */
export class LogReturn {
  private readonly closes: RingBuffer;
  private current = 0;
  private warm = false;

  constructor(readonly lag: number) {
    this.closes = new RingBuffer(lag);
  }

  get isWarm(): boolean {
    return this.warm;
  }

  get value(): number | undefined {
    return this.warm ? this.current : undefined;
  }

  update(close: number): void {
    const wasFull = this.closes.isFull;
    const past = this.closes.push(close);
    if (wasFull) {
      this.current = Math.log(close / past);
      this.warm = true;
    }
  }

  copyFrom(other: LogReturn): void {
    this.closes.copyFrom(other.closes);
    this.current = other.current;
    this.warm = other.warm;
  }

  snapshot(): LogReturnSnapshot {
    return { lag: this.lag, closes: this.closes.snapshot(), current: this.current, warm: this.warm };
  }

  static restore(s: LogReturnSnapshot): LogReturn {
    const r = new LogReturn(s.lag);
    r.closes.copyFrom(RingBuffer.restore(s.closes, s.lag));
    r.current = s.current;
    r.warm = s.warm;
    return r;
  }
}
