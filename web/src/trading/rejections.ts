/**
 * Every rejection and cancel code of the order service (docs/API.md, "Rejection and cancel
 * codes") as a sentence a trader reads first; the service's own detail (the numbers) follows it.
 */
const HEADLINES: Record<string, string> = {
  // validation
  INVALID_SYMBOL: 'That is not a ticker symbol.',
  INVALID_SIDE: 'Choose Buy or Sell.',
  INVALID_QTY: 'The quantity is not a valid number of shares.',
  FRACTIONAL_QTY_NOT_ALLOWED: 'Fractional shares are not allowed for this order.',
  INVALID_ORDER_TYPE: 'That order type is not supported.',
  INVALID_TIME_IN_FORCE: 'That time in force does not work with this order type.',
  MISSING_LIMIT_PRICE: 'This order type needs a limit price.',
  UNEXPECTED_LIMIT_PRICE: 'This order type takes no limit price.',
  MISSING_STOP_PRICE: 'This order type needs a stop price.',
  UNEXPECTED_STOP_PRICE: 'This order type takes no stop price.',
  INVALID_PRICE: 'The price must be a number above 0.',
  INVALID_PRICE_INCREMENT: 'The price has too many decimals.',
  // risk limits
  KILL_SWITCH: 'Trading is stopped for everyone (kill switch).',
  TRADING_DISABLED: 'Trading is disabled for your account.',
  DAILY_LOSS_LIMIT: 'Your daily loss limit was reached; trading resumes next trading day.',
  SYMBOL_DENIED: 'This symbol may not be traded on your account.',
  SYMBOL_NOT_ALLOWED: 'This symbol is not on the list your account may trade.',
  ORDER_RATE_LIMIT: 'Too many orders in the last minute.',
  NO_MARKET_DATA: 'There is no quote for this symbol yet, so the order cannot be priced.',
  PRICE_BAND: 'The limit price is too far from the market.',
  MAX_ORDER_QTY: 'The order is larger than your per-order share limit.',
  MAX_ORDER_NOTIONAL: 'The order is worth more than your per-order limit.',
  MAX_POSITION_NOTIONAL: 'The position would be larger than your per-symbol limit.',
  MAX_GROSS_EXPOSURE: 'Not enough buying power: the order would take you over your gross exposure limit.',
  // broker
  BROKER_KEYS_MISSING: 'Your Alpaca keys are missing: store them in Settings or switch to the simulator.',
  BROKER_KEYS_UNREADABLE: 'Your stored Alpaca keys cannot be read: store them again in Settings.',
  ALPACA_INSUFFICIENT_BUYING_POWER: 'Alpaca says your account lacks the buying power for this order.',
  ALPACA_VALIDATION: 'Alpaca rejected the order as invalid.',
  ALPACA_RATE_LIMITED: 'Alpaca is limiting requests right now; place the order again in a moment.',
  ALPACA_FORBIDDEN: 'Alpaca refused your keys or the order.',
  ALPACA_REJECTED: 'Alpaca rejected the order.',
  BROKER_UNAVAILABLE: 'The broker could not be reached; the order was not placed.',
  // cancels and expiries
  CANCELED_BY_USER: 'You canceled it.',
  IOC_UNFILLED: 'Immediate-or-cancel: what did not fill at once was canceled.',
  FOK_UNFILLED: 'Fill-or-kill: it could not fill completely at once, so none of it did.',
  DAY_ORDER_EXPIRED: 'A day order expires at the close.',
  ALPACA_CANCELED: 'Alpaca canceled it.',
  ALPACA_EXPIRED: 'It expired at Alpaca.',
};

/** The service writes "CODE: detail"; the detail alone, with a capital and a full stop. */
function detailOf(code: string | null, reason: string | null): string | null {
  let text = reason?.trim() ?? '';
  if (code && text.startsWith(`${code}: `)) text = text.slice(code.length + 2);
  if (!text) return null;
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** A rejection, cancel or expiry as sentences: the headline for the code, then the numbers. */
export function describeRejection(code: string | null, reason: string | null): string {
  const headline = code ? HEADLINES[code] : undefined;
  const detail = detailOf(code, reason);
  if (headline && detail && detail.toLowerCase() !== headline.toLowerCase()) return `${headline} ${detail}`;
  return headline ?? detail ?? 'No reason was given.';
}

/** True when the code has its own sentence (every code in docs/API.md does). */
export const knownRejection = (code: string) => code in HEADLINES;

const FIELDS: Record<string, string> = {
  qty: 'Quantity',
  symbol: 'Symbol',
  side: 'Side',
  type: 'Order type',
  time_in_force: 'Time in force',
  limit_price: 'Limit price',
  stop_price: 'Stop price',
  client_order_id: 'Order id',
  keyId: 'Key ID',
  secretKey: 'Secret key',
  email: 'Email',
  password: 'Password',
  name: 'Name',
};

const big = (n: string) => Number(n).toLocaleString('en-US');

/** zod's messages ("Number must be less than or equal to 1000000") in plain words. */
function plainMessage(message: string): string {
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^Number must be less than or equal to (-?[\d.]+)$/, (m) => `can be at most ${big(m[1]!)}`],
    [/^Number must be less than (-?[\d.]+)$/, (m) => `must be below ${big(m[1]!)}`],
    [/^Number must be greater than or equal to (-?[\d.]+)$/, (m) => `must be at least ${big(m[1]!)}`],
    [/^Number must be greater than 0$/, () => 'must be above 0'],
    [/^Number must be greater than (-?[\d.]+)$/, (m) => `must be above ${big(m[1]!)}`],
    [/^Expected number, received (\w+)$/, () => 'must be a number'],
    [/^Required$/, () => 'is required'],
    [/^expected one of (.+)$/, (m) => `must be one of ${m[1]}`],
    [/^String must contain at most (\d+) character\(s\)$/, (m) => `can be at most ${m[1]} characters`],
    [/^String must contain at least (\d+) character\(s\)$/, (m) => `needs at least ${m[1]} characters`],
  ];
  for (const [re, say] of rules) {
    const m = re.exec(message);
    if (m) return say(m);
  }
  return message;
}

/** VALIDATION_FAILED details as one sentence per field: "Quantity can be at most 1,000,000." */
export function describeValidation(details: readonly { path: string; message: string }[]): string {
  return details
    .map((d) => {
      const key = d.path === '(root)' ? '' : (d.path.split('.').pop() ?? '');
      const field = FIELDS[key] ?? (key ? key.replace(/_/g, ' ') : '');
      const text = plainMessage(d.message);
      const sentence = field ? `${field} ${text}` : text;
      return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${/[.!?]$/.test(sentence) ? '' : '.'}`;
    })
    .join(' ');
}
