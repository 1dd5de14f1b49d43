import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import { LATENCY_BUCKETS, declareMetrics } from '@tickstream/platform';
import type { prom } from '@tickstream/platform';

/** The steps of POST /api/orders, in the order they run. */
export type PlaceStep = 'auth' | 'rate_limit' | 'lookup' | 'publish';

/** Records how long each step of a placement took (gateway_order_place_step_seconds). */
export interface PlaceSteps {
  /** Records `step` as having run from `startedAt` (performance.now()) until now. */
  observe(step: PlaceStep, startedAt: number): void;
  /** `handler` (a middleware) timed as `step`, until it passes the request on. */
  timed(step: PlaceStep, handler: RequestHandler): RequestHandler;
}

/**
 * Step timings of placing an order, so the time between a POST and its 202 can be split into
 * its round trips (the orders bench prints them). Without a registry nothing is recorded.
 */
export function placeSteps(registry?: prom.Registry): PlaceSteps {
  const seconds = registry
    ? declareMetrics(registry).histogram(
        'gateway_order_place_step_seconds',
        'Steps of POST /api/orders: auth, rate_limit, lookup (client order id, reservation), publish (until Kafka acknowledges)',
        LATENCY_BUCKETS,
        ['step'],
      )
    : undefined;
  const observe = (step: PlaceStep, startedAt: number) =>
    seconds?.observe({ step }, (performance.now() - startedAt) / 1000);
  return {
    observe,
    timed: (step, handler) => async (req, res, next) => {
      const startedAt = performance.now();
      await handler(req, res, (err?: unknown) => {
        observe(step, startedAt);
        next(err);
      });
    },
  };
}
