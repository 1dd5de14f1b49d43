import type { BrokerKind, OrderEventType, OrderType, Side, TimeInForce } from './generated/avro';
import type { OrderView } from './rest';

// The REST types themselves are inferred from the zod schemas in rest/. The order's enums are
// also Avro enums (schemas/*.avsc): these checks fail the build if the two ever disagree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type RestEnumsMatchAvro = [
  Assert<Same<NonNullable<OrderView['side']>, Side>>,
  Assert<Same<NonNullable<OrderView['type']>, OrderType>>,
  Assert<Same<NonNullable<OrderView['timeInForce']>, TimeInForce>>,
  Assert<Same<OrderView['broker'], BrokerKind>>,
  Assert<Same<OrderView['status'], OrderEventType>>,
];

/** The default of ML_SIGNAL_BAND: 45%-55% probability up reads as no call. */
export const DEFAULT_SIGNAL_BAND = 0.05;
