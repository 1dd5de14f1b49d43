import { newYorkSession } from './ny-session';

export interface SessionVWAPSnapshot {
  readonly sessionStartMs: number;
  readonly sessionEndMs: number;
  readonly priceVolume: number;
  readonly volume: number;
  readonly lastTypical: number;
  readonly seen: boolean;
}

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
export class SessionVWAP {
  private sessionStartMs = 0;
  private sessionEndMs = 0;
  private priceVolume = 0;
  private volume = 0;
  private lastTypical = 0;
  private seen = false;

  get isWarm(): boolean {
    return this.seen;
  }

  get value(): number | undefined {
    if (!this.seen) return undefined;
    return this.volume > 0 ? this.priceVolume / this.volume : this.lastTypical;
  }

  update(timeMs: number, high: number, low: number, close: number, volume: number): void {
    if (!this.seen || timeMs >= this.sessionEndMs || timeMs < this.sessionStartMs) {
      const session = newYorkSession(timeMs);
      this.sessionStartMs = session.startMs;
      this.sessionEndMs = session.endMs;
      this.priceVolume = 0;
      this.volume = 0;
    }
    const typical = (high + low + close) / 3;
    this.priceVolume += typical * volume;
    this.volume += volume;
    this.lastTypical = typical;
    this.seen = true;
  }

  copyFrom(other: SessionVWAP): void {
    this.sessionStartMs = other.sessionStartMs;
    this.sessionEndMs = other.sessionEndMs;
    this.priceVolume = other.priceVolume;
    this.volume = other.volume;
    this.lastTypical = other.lastTypical;
    this.seen = other.seen;
  }

  snapshot(): SessionVWAPSnapshot {
    return {
      sessionStartMs: this.sessionStartMs,
      sessionEndMs: this.sessionEndMs,
      priceVolume: this.priceVolume,
      volume: this.volume,
      lastTypical: this.lastTypical,
      seen: this.seen,
    };
  }

  static restore(s: SessionVWAPSnapshot): SessionVWAP {
    const v = new SessionVWAP();
    v.sessionStartMs = s.sessionStartMs;
    v.sessionEndMs = s.sessionEndMs;
    v.priceVolume = s.priceVolume;
    v.volume = s.volume;
    v.lastTypical = s.lastTypical;
    v.seen = s.seen;
    return v;
  }
}
