import { z } from 'zod/v4';
import { SYMBOL_PATTERN, isValidSymbol } from '../symbols';

// Field schemas shared by the REST bodies and answers. zod's own messages never quote the value
// sent, so a bad password or key is never echoed back in an error.

/**
 * What the OpenAPI document says of the REST schemas beyond their shape: descriptions, examples,
 * and the names (`id`) of its components. A registry of its own rather than zod's global one, whose
 * ids must be unique per process: a second copy of this module (a test loading both src/ and
 * dist/) would otherwise throw at import.
 */
export const REST_META = z.registry<z.GlobalMeta>();

/** Watchlists an account may hold. */
export const MAX_WATCHLISTS = 20;
/** Symbols one watchlist may hold. */
export const MAX_SYMBOLS_PER_WATCHLIST = 50;
const PASSWORD_MIN = 10;
// argon2 accepts any length; the cap keeps one request from costing seconds of hashing.
const PASSWORD_MAX = 128;

/** A ticker symbol as sent: trimmed and upper-cased, then it must match SYMBOL_PATTERN. */
export const symbolField = z
  .string()
  .max(16)
  .transform((s) => s.trim().toUpperCase())
  .refine(isValidSymbol, 'expected a ticker symbol such as AAPL or BRK.B')
  .register(REST_META, {
    pattern: SYMBOL_PATTERN.source,
    description: 'ticker symbol; lower case is upper-cased',
  });

/** A ticker symbol as answered (already normalised). */
export const symbolValue = z.string().regex(SYMBOL_PATTERN);

export const emailField = z.string().trim().toLowerCase().max(254).email('expected an email address');

export const passwordField = z
  .string()
  .min(PASSWORD_MIN, `at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `at most ${PASSWORD_MAX} characters`)
  .refine((p) => new Set(p).size >= 4, 'use at least 4 different characters');

const noControlCharacters = (s: string) => !/\p{Cc}/u.test(s);

export const displayNameField = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .refine(noControlCharacters, 'control characters are not allowed');

// Names are stored verbatim (queries are parameterised, answers are JSON); only invisible
// control characters are refused, since they make two names look identical.
export const watchlistNameField = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64)
  .refine(noControlCharacters, 'control characters are not allowed')
  .register(REST_META, { description: 'trimmed; stored verbatim' });

export const sideField = z.enum(['BUY', 'SELL']);
export const orderTypeField = z.enum(['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT']);
export const timeInForceField = z.enum(['DAY', 'GTC', 'IOC', 'FOK']);

/**
 * An upper-case enum as a request may spell it: upper case or lower case (`BUY`, `buy`), parsed to
 * upper case. Both spellings are listed, so the OpenAPI document (and the web client's input
 * types) say exactly what is accepted; mixed case (`Buy`) stays refused, as it is in no list.
 */
function eitherCase<E extends z.ZodEnum>(field: E) {
  const upper = field.options.map(String);
  const spellings = [...upper, ...upper.map((v) => v.toLowerCase())] as [string, ...string[]];
  return z
    .enum(spellings, { error: `expected one of ${upper.join(', ')} (or lower case)` })
    .transform((v) => v.toUpperCase() as z.output<E>);
}

/** Order fields as a request sends them: either case, answered in upper case. */
export const sideInput = eitherCase(sideField);
export const orderTypeInput = eitherCase(orderTypeField);
export const timeInForceInput = eitherCase(timeInForceField);
export const brokerField = z.enum(['SIM', 'ALPACA']);
export const roleField = z.enum(['trader', 'admin']);
export const orderStatusField = z.enum([
  'ACCEPTED',
  'REJECTED',
  'NEW',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELED',
  'EXPIRED',
]);

export const id = z.uuid();
export const timestamp = z.iso.datetime();
