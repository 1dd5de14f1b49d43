import { TickstreamError } from '../errors';

/**
 * Waits until the broker shows a change it has already acknowledged: `lagging` answers what it
 * does not show yet, and is asked every 100 ms until that is nothing. With KRaft the controller
 * answers CreateAcls, AlterConfigs and CreatePartitions once it has committed them; a broker
 * applies them when it replays the metadata log, a moment later (longer on a busy machine), and
 * clients that came right after were refused or saw the old state (CI failures, each).
 *
 * @throws TickstreamError `code` (retryable) naming what still lags after `timeoutMs`.
 */
export async function untilBrokerShows(
  code: string,
  what: string,
  lagging: () => Promise<readonly string[]>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const behind = await lagging();
    if (behind.length === 0) return;
    if (Date.now() > deadline) {
      const shown =
        behind.slice(0, 5).join(', ') + (behind.length > 5 ? `, and ${behind.length - 5} more` : '');
      throw new TickstreamError(code, `the broker did not show ${what} after ${timeoutMs} ms: ${shown}`, {
        retryable: true,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
