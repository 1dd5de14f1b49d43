import type { PlaceOrderRequest } from '@tickstream/contracts';

// The REST API's bodies and answers are @tickstream/contracts' types, inferred from the zod
// schemas the gateway validates with and documents; this adds only what the dashboard needs.

/** The dashboard names every order itself, so a retry after an unknown answer is recognised. */
export type OrderRequest = PlaceOrderRequest & { client_order_id: string };
