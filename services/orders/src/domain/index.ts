// The order service's pure domain: validation, pre-trade risk, positions and P&L, the simulated
// broker and the order lifecycle. No I/O; the service feeds in state snapshots and the clock.
export { OrderError, IllegalTransitionError, OverfillError, SnapshotError } from './errors';
export type { Rejection, Checked } from './errors';

export { formatUsd, formatPrice, formatQty, roundQty, dec, cents, toSql, ZERO } from './money';
export type { Money } from './money';

export type { ValidOrder, OpenOrder } from './order';
export { validatePlaceCommand, normalizeSymbol, ValidationCode, PRICE_DECIMALS } from './validation';
export type { ValidationOptions } from './validation';

export { DEFAULT_RISK_LIMITS } from '@tickstream/contracts';
export type { RiskLimits } from '@tickstream/contracts';
export { RiskCode } from './risk';
export { checkRiskLimits } from './risk';
export type { RiskContext, RiskResult, RiskRejection } from './risk';

export { tradingDayState, recordRealized, haltTradingForDay } from './session';
export type { TradingDayState, DayHalt } from './session';
export { tradingDayOf, sessionCloseAfter, newYorkOffsetMs } from './session';

export { applyFill, flatPosition, markPrice, unrealizedPnl, dayPnl } from './position';
export type { Position, Fill, FillOutcome } from './position';

export { SimOrderBook } from './sim-book';
export type { SimFill, SimCancel, SimAddResult, RestingOrder, SimBookSnapshot } from './sim-book';

export { transition, initialOrderState, orderEventId, isTerminal } from './lifecycle';
export type { OrderState, OrderStatus, OrderTransition, TransitionContext } from './lifecycle';
