import type { z } from 'zod/v4';
import type * as req from './requests';
import type * as res from './responses';

export { MAX_SYMBOLS_PER_WATCHLIST, MAX_WATCHLISTS, REST_META, symbolField } from './fields';
export {
  addSymbolBody,
  brokerKeysBody,
  createWatchlistBody,
  defaultRiskLimitsBody,
  killSwitchBody,
  liftHaltBody,
  listOrdersQuery,
  loginBody,
  patchWatchlistBody,
  placeOrderBody,
  predictBody,
  refreshBody,
  replaceSymbolsBody,
  riskLimitsBody,
  setBrokerBody,
  signupBody,
} from './requests';
export type { RiskLimitRecord } from './requests';
export {
  accountSummarySchema,
  brokerKeysInfoSchema,
  brokerKeysSavedSchema,
  cancelAcceptedSchema,
  effectiveRiskLimitsSchema,
  errorBodySchema,
  killSwitchStateSchema,
  modelInfoSchema,
  orderAcceptedSchema,
  orderSchema,
  positionSchema,
  predictionsSchema,
  riskAuditEntrySchema,
  sessionSchema,
  tradingHaltSchema,
  userSchema,
  watchlistSchema,
} from './responses';
export { REST_ROUTES } from './routes';
export type { Access, HttpMethod, RestRoute } from './routes';

// Types are inferred from the schemas, so the gateway, the web client and the OpenAPI document
// cannot drift apart. Requests: `...Request` is what a client sends (defaults still optional).

export type SignupRequest = z.input<typeof req.signupBody>;
export type LoginRequest = z.input<typeof req.loginBody>;
export type RefreshRequest = z.input<typeof req.refreshBody>;
export type SetBrokerRequest = z.input<typeof req.setBrokerBody>;
export type CreateWatchlistRequest = z.input<typeof req.createWatchlistBody>;
export type PatchWatchlistRequest = z.input<typeof req.patchWatchlistBody>;
export type BrokerKeysRequest = z.input<typeof req.brokerKeysBody>;
export type PlaceOrderRequest = z.input<typeof req.placeOrderBody>;
export type KillSwitchRequest = z.input<typeof req.killSwitchBody>;
export type LiftHaltRequest = z.input<typeof req.liftHaltBody>;
export type PredictRequest = z.input<typeof req.predictBody>;

export type ErrorBody = z.output<typeof res.errorBodySchema>;
export type FieldIssue = NonNullable<ErrorBody['details']>[number];
export type User = z.output<typeof res.userSchema>;
export type Role = User['role'];
export type Session = z.output<typeof res.sessionSchema>;
export type Watchlist = z.output<typeof res.watchlistSchema>;
export type BrokerKeysInfo = z.output<typeof res.brokerKeysInfoSchema>;
export type BrokerKeysSaved = z.output<typeof res.brokerKeysSavedSchema>;
export type EffectiveRiskLimits = z.output<typeof res.effectiveRiskLimitsSchema>;
export type TradingHaltView = z.output<typeof res.tradingHaltSchema>;
export type RiskAuditAction = z.output<typeof res.riskAuditActionField>;
export type RiskAuditEntry = z.output<typeof res.riskAuditEntrySchema>;
export type OrderAccepted = z.output<typeof res.orderAcceptedSchema>;
export type CancelAccepted = z.output<typeof res.cancelAcceptedSchema>;
export type OrderView = z.output<typeof res.orderSchema>;
export type PositionView = z.output<typeof res.positionSchema>;
export type AccountSummary = z.output<typeof res.accountSummarySchema>;
export type KillSwitchState = z.output<typeof res.killSwitchStateSchema>;
export type HeldOutScore = z.output<typeof res.heldOutScoreSchema>;
export type ModelInfo = z.output<typeof res.modelInfoSchema>;
export type Predictions = z.output<typeof res.predictionsSchema>;
