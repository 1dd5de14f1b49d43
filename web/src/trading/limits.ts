import type { RiskLimits } from '@tickstream/contracts';
import type { Numeric } from '../format';
import { toNumber } from '../format';

/**
 * The effective limits of GET /api/risk-limits as the ticket checks them; null when the answer
 * lacks one of them (the ticket then leaves that check to the order service). Amounts may come
 * as numbers or decimal strings.
 */
export function readLimits(raw: Record<string, unknown> | null | undefined): RiskLimits | null {
  if (!raw) return null;
  const n = (k: keyof RiskLimits) => toNumber(raw[k] as Numeric);
  const list = (k: keyof RiskLimits) =>
    Array.isArray(raw[k]) ? (raw[k] as unknown[]).filter((s): s is string => typeof s === 'string') : [];
  const numbers = {
    maxOrdersPerMinute: n('maxOrdersPerMinute'),
    maxOrderNotional: n('maxOrderNotional'),
    maxOrderQty: n('maxOrderQty'),
    maxPositionNotional: n('maxPositionNotional'),
    maxGrossExposure: n('maxGrossExposure'),
    dailyLossLimit: n('dailyLossLimit'),
    priceBandPct: n('priceBandPct'),
  };
  if (Object.values(numbers).some((v) => v === null)) return null;
  return {
    ...(numbers as { [K in keyof typeof numbers]: number }),
    allowedSymbols: list('allowedSymbols'),
    deniedSymbols: list('deniedSymbols'),
    tradingEnabled: raw.tradingEnabled !== false,
  };
}
