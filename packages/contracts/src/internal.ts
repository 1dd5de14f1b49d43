import { z } from 'zod/v4';
import { modelInfoSchema } from './rest/responses';

// Wire types of the services' internal APIs (the order service's and inference's /internal/v1,
// which only the gateway calls). Not part of the REST contract: the OpenAPI document never shows them. Each type
// is inferred from its schema, so the service that answers and the client that reads cannot
// declare it twice.

/**
 * The terms of an order as its PLACE command gave them: a retry of its client order id must
 * repeat them. Numbers are numbers (the order service converts its numeric columns).
 */
export const orderTermsSchema = z.object({
  symbol: z.string().nullable(),
  side: z.string().nullable(),
  qty: z.number().nullable(),
  order_type: z.string().nullable(),
  time_in_force: z.string().nullable(),
  limit_price: z.number().nullable(),
  stop_price: z.number().nullable(),
});

/** The names of an order's terms: what a retry compares, and the columns the order service reads. */
export const ORDER_TERM_KEYS = orderTermsSchema.keyof().options;

/** GET /internal/v1/accounts/{id}/client-orders/{clientOrderId} (orders): the order's ids and terms. */
export const placedOrderSchema = orderTermsSchema.extend({ order_id: z.string(), command_id: z.string() });

export type OrderTerms = z.output<typeof orderTermsSchema>;
export type PlacedOrder = z.output<typeof placedOrderSchema>;

/**
 * GET /internal/v1/models/{version} (inference): a model's held-out record, from the registry or
 * from the report of the model inference serves without one. The gateway adds its signal band
 * and answers it as ModelInfo (GET /api/ml/models/{version}).
 */
export const modelRecordSchema = modelInfoSchema.omit({ signalBand: true });

export type ModelRecord = z.output<typeof modelRecordSchema>;
