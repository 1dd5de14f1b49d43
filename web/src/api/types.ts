import type { PlaceOrderRequest } from '@tickstream/contracts';

// The REST API's bodies and answers, inferred from the contracts' zod schemas
// (packages/contracts/src/rest), the same ones the gateway validates with and documents.
export type {
  AccountSummary,
  BrokerKeysInfo,
  BrokerKeysSaved,
  CancelAccepted,
  EffectiveRiskLimits,
  OrderAccepted,
  OrderView,
  PositionView,
  Session,
  User,
  Watchlist,
} from '@tickstream/contracts';

/** The dashboard names every order itself, so a retry after an unknown answer is recognised. */
export type OrderRequest = PlaceOrderRequest & { client_order_id: string };
