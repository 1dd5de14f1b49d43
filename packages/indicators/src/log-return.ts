import type { Stateful } from './state';
import { assignFields, checkParameters } from './state';
import type { StateReader, StateWriter } from './state-codec';
import type { RingBufferSnapshot } from './window/ring-buffer';
import { RingBuffer } from './window/ring-buffer';

interface LogReturnState {
  current: number;
  warm: boolean;
}

export interface LogReturnSnapshot extends Readonly<LogReturnState> {
  readonly lag: number;
  readonly closes: RingBufferSnapshot;
}

/** ln(close_t / close_{t-lag}) over bars; warm after lag + 1 updates. Closes must be positive. */
export class LogReturn implements Stateful<LogReturnSnapshot> {
  private readonly closes: RingBuffer;
  private readonly state: LogReturnState = { current: 0, warm: false };

  constructor(readonly lag: number) {
    this.closes = new RingBuffer(lag);
  }

  get isWarm(): boolean {
    return this.state.warm;
  }

  get value(): number | undefined {
    return this.state.warm ? this.state.current : undefined;
  }

  update(close: number): void {
    const wasFull = this.closes.isFull;
    const past = this.closes.push(close);
    if (wasFull) {
      this.state.current = Math.log(close / past);
      this.state.warm = true;
    }
  }

  snapshot(): LogReturnSnapshot {
    return { lag: this.lag, closes: this.closes.snapshot(), ...this.state };
  }

  restoreFrom(s: LogReturnSnapshot): void {
    checkParameters('log return', s.lag === this.lag);
    this.closes.restoreFrom(s.closes);
    assignFields(this.state, s);
  }

  writeState(w: StateWriter): void {
    w.number(this.lag);
    this.closes.writeState(w);
    w.fields(this.state);
  }

  readState(r: StateReader): void {
    checkParameters('log return', r.number() === this.lag);
    this.closes.readState(r);
    r.fields(this.state);
  }

  static restore(s: LogReturnSnapshot): LogReturn {
    const r = new LogReturn(s.lag);
    r.restoreFrom(s);
    return r;
  }
}
