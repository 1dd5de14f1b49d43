import { createMarketSimulator } from '@tickstream/marketdata';

/**
 * Market records (quotes + trades + bars) the simulator makes per simulated second per symbol,
 * measured from the simulator itself at the current time of day: its activity follows a
 * U-shaped session, so a constant would be off by a factor depending on when the bench runs.
 */
export function eventsPerSimSecPerSymbol(barIntervalMs: number, at = Date.now()): number {
  const sim = createMarketSimulator({ seed: 7, barIntervalMs });
  const n = 20;
  const spanMs = 120_000;
  for (let i = 0; i < n; i++) sim.addSymbol(`CAL${i}`, at);
  return sim.step(at + spanMs).length / (spanMs / 1000) / n;
}
