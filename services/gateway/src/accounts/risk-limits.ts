import { z } from 'zod';
import type { RiskLimitRecord } from '../orders/service-client';
import { symbolSchema } from '../request';

/**
 * The schema of an override record, derived from the defaults: only known keys, each with the
 * type of its default, so an admin cannot store a limit the order service would misread. The
 * lists are symbol lists: each entry is trimmed, upper-cased and must be a ticker (`tsla` is
 * stored as `TSLA`, `t$la` refused), duplicates dropped.
 */
export function overridesSchema(defaults: Record<string, unknown>): z.ZodType<RiskLimitRecord> {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const [key, value] of Object.entries(defaults)) {
    if (typeof value === 'number') shape[key] = z.number().finite().min(0).optional();
    else if (typeof value === 'boolean') shape[key] = z.boolean().optional();
    else if (Array.isArray(value))
      shape[key] = z
        .array(symbolSchema)
        .max(1000)
        .transform((list) => [...new Set(list)])
        .optional();
  }
  return z
    .object(shape)
    .strict()
    .transform(
      (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as RiskLimitRecord,
    );
}
