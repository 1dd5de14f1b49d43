import { z } from 'zod';
import { DependencyUnavailableError, ValidationError } from '../request';

/** Where keys are checked: Alpaca's paper and live trading APIs (GET /v2/account). */
export interface AlpacaEndpoints {
  paperUrl: string;
  liveUrl: string;
  /** Per request; default 5 s. */
  timeoutMs?: number;
}

/** What the settings page shows of the account the keys open; money as Alpaca sends it (strings). */
export interface AlpacaAccountSummary {
  status: string;
  currency: string;
  buyingPower: string;
  tradingBlocked: boolean;
}

const accountSchema = z.object({
  status: z.string(),
  currency: z.string().default('USD'),
  buying_power: z.union([z.string(), z.number()]).transform(String),
  trading_blocked: z.boolean().default(false),
  account_blocked: z.boolean().default(false),
});

/**
 * Opens the account with the keys (Alpaca's GET /v2/account), so keys that do not work are refused
 * when they are saved rather than at the first order. A thin call of its own: the order service's
 * client (services/orders) is not the gateway's to import. Throws BROKER_KEYS_REJECTED (400) when
 * Alpaca refuses the keys and BROKER_UNREACHABLE (503) when it cannot be asked.
 */
export async function checkAlpacaKeys(
  endpoints: AlpacaEndpoints,
  keys: { keyId: string; secretKey: string; paper: boolean },
): Promise<AlpacaAccountSummary> {
  const base = keys.paper ? endpoints.paperUrl : endpoints.liveUrl;
  const which = keys.paper ? 'paper' : 'live';
  let res: Response;
  try {
    res = await fetch(`${base.replace(/\/$/, '')}/v2/account`, {
      headers: { 'APCA-API-KEY-ID': keys.keyId, 'APCA-API-SECRET-KEY': keys.secretKey },
      signal: AbortSignal.timeout(endpoints.timeoutMs ?? 5000),
    });
  } catch (err) {
    throw new DependencyUnavailableError(
      'BROKER_UNREACHABLE',
      `Alpaca (${which}) could not be reached to check the keys; they were not stored. Try again shortly`,
      err,
    );
  }
  if (res.status === 401 || res.status === 403)
    throw new ValidationError(
      `Alpaca refused these keys for a ${which} account; check the key id and secret, and that they are ${which} keys`,
      [{ path: 'keyId', message: `not accepted by Alpaca (${which})` }],
      'BROKER_KEYS_REJECTED',
    );
  if (!res.ok)
    throw new DependencyUnavailableError(
      'BROKER_UNREACHABLE',
      `Alpaca (${which}) answered ${res.status} while checking the keys; they were not stored. Try again shortly`,
    );
  const body = accountSchema.safeParse(await res.json().catch(() => null));
  if (!body.success)
    throw new DependencyUnavailableError(
      'BROKER_UNREACHABLE',
      `Alpaca (${which}) sent an account this gateway cannot read; the keys were not stored`,
    );
  return {
    status: body.data.status,
    currency: body.data.currency,
    buyingPower: body.data.buying_power,
    tradingBlocked: body.data.trading_blocked || body.data.account_blocked,
  };
}
