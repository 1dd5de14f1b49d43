import type { Encodable } from './state-codec';

/**
 * How every indicator, window and the engine keep their state, so that it is written down once.
 *
 * A class keeps its changing scalars (counts, sums, the last value) in one plain object, and
 * its snapshot is its parameters, that object's fields and its parts' snapshots. `restoreFrom`
 * overwrites an instance in place from a snapshot; copying one instance into another is a
 * snapshot restored (a feature engine copies state only on a corrected bar, which is rare).
 * The snapshots are plain JSON-safe data (features.state.v1 held them as JSON text until it took
 * the binary layout of `writeState`, which writes the same fields without building the objects).
 */
export interface Stateful<S> extends Encodable {
  snapshot(): S;
  /** Continues exactly where the snapshotted instance stood; throws a RangeError for a snapshot of other parameters. */
  restoreFrom(s: S): void;
}

/** Makes `to` continue exactly where `from` stands. */
export function copyState<S>(to: Stateful<S>, from: Stateful<S>): void {
  to.restoreFrom(from.snapshot());
}

/**
 * Overwrites each field `target` has with the same field of `source`, which may hold more (a
 * snapshot's parameters and parts); the field list is the one `target` was created with.
 */
export function assignFields<T extends object>(target: T, source: Readonly<T>): void {
  for (const key in target) target[key] = source[key];
}

/** Refuses a snapshot taken with other parameters (a window of another length, another smoothing). */
export function checkParameters(kind: string, fits: boolean): void {
  if (!fits) throw new RangeError(`${kind} snapshot does not fit this ${kind}'s parameters`);
}
