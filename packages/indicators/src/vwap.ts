import { newYorkSession } from './ny-session';
import type { Stateful } from './state';
import { assignFields } from './state';
import type { StateReader, StateWriter } from './state-codec';

interface SessionVWAPState {
  sessionStartMs: number;
  sessionEndMs: number;
  priceVolume: number;
  volume: number;
  lastTypical: number;
  seen: boolean;
}

export type SessionVWAPSnapshot = Readonly<SessionVWAPState>;

/**
 * Volume-weighted average of the typical price (high + low + close) / 3 since the start of the
 * current America/New_York calendar day (extended hours included; the sum restarts at New York
 * midnight). The session's UTC bounds are computed once per session and cached, so an update is
 * a comparison and two additions. While the session has no volume yet, the value is the latest
 * typical price. Warm after one bar. Bars must arrive in time order.
 *
 * Plain sums suffice here: they restart every session, so at most a few thousand terms of one
 * sign accumulate (relative error ~ n * 2^-53).
 */
export class SessionVWAP implements Stateful<SessionVWAPSnapshot> {
  private readonly state: SessionVWAPState = {
    sessionStartMs: 0,
    sessionEndMs: 0,
    priceVolume: 0,
    volume: 0,
    lastTypical: 0,
    seen: false,
  };

  get isWarm(): boolean {
    return this.state.seen;
  }

  get value(): number | undefined {
    const s = this.state;
    if (!s.seen) return undefined;
    return s.volume > 0 ? s.priceVolume / s.volume : s.lastTypical;
  }

  update(timeMs: number, high: number, low: number, close: number, volume: number): void {
    const s = this.state;
    if (!s.seen || timeMs >= s.sessionEndMs || timeMs < s.sessionStartMs) {
      const session = newYorkSession(timeMs);
      s.sessionStartMs = session.startMs;
      s.sessionEndMs = session.endMs;
      s.priceVolume = 0;
      s.volume = 0;
    }
    const typical = (high + low + close) / 3;
    s.priceVolume += typical * volume;
    s.volume += volume;
    s.lastTypical = typical;
    s.seen = true;
  }

  snapshot(): SessionVWAPSnapshot {
    return { ...this.state };
  }

  restoreFrom(s: SessionVWAPSnapshot): void {
    assignFields(this.state, s);
  }

  writeState(w: StateWriter): void {
    w.fields(this.state);
  }

  readState(r: StateReader): void {
    r.fields(this.state);
  }

  static restore(s: SessionVWAPSnapshot): SessionVWAP {
    const v = new SessionVWAP();
    v.restoreFrom(s);
    return v;
  }
}
