import { createRequire } from 'node:module';

// KafkaJS 2.2.4 keeps a request queue per broker connection. Each answered request calls
// `scheduleCheckPendingRequests`, which arms a timer even when no request waits; with no throttle
// its delay is negative (run after 1 ms), and the timer re-arms itself when it fires. So from a
// connection's first answer on, every connection of the process (each consumer's, producer's and
// admin's) wakes the event loop once a millisecond for good, though nothing is ever pending
// (kafkajs#1556, unfixed upstream). On the 2-core machine that was a third of an idle gateway's
// and order service's CPU (docs/BENCHMARKS.md, session 11). Requests wait in the queue only when
// the broker throttles the client or too many are in flight; a check is armed here only then.

/** The part of KafkaJS's RequestQueue (src/network/requestQueue) this module touches. */
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** The version whose queue this replaces a method of: another may differ (a test pins it). */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';
/** KafkaJS's own interval for re-checking requests held back by the in-flight limit. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

const requireKafkajs = createRequire(require.resolve('kafkajs'));

/** KafkaJS's RequestQueue class, as this process loads it. */
export function requestQueueClass(): { prototype: RequestQueue } {
  return requireKafkajs('./src/network/requestQueue') as { prototype: RequestQueue };
}

function scheduleCheckPendingRequests(this: RequestQueue): void {
  if (this.pending.length === 0 || this.throttleCheckTimeoutId) return;
  const throttledFor = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
}

/**
 * Stops KafkaJS's request queues from polling themselves every millisecond (see above); called by
 * `createKafka`, so every client of a service has it. Does nothing under another KafkaJS version
 * than the one it was written for (true when the fix is in place).
 */
export function fixRequestQueueTimers(): boolean {
  const { version } = requireKafkajs('./package.json') as { version: string };
  if (version !== PATCHED_KAFKAJS_VERSION) return false;
  requestQueueClass().prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  return true;
}
