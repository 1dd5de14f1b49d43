import { createHash } from 'node:crypto';
import { ConfigError } from './errors';

/** The shortest secret any service accepts (JWT_SECRET, BROKER_KEYS_MASTER_KEY, ...). */
export const MIN_SECRET_BYTES = 32;

/**
 * SHA-256 (hex) of every secret value that is or was committed to the Tickstream repository:
 * demo values of `npm run up`, docker-compose and the k8s dev overlay, and the fixed values the
 * tests used before they generated their own. Anyone can read them in the history, so a
 * deployment using one has no secret at all; the services refuse them at start.
 *
 * Hashes, not the values: the list exists to recognise them, and a list of literals would put
 * them back in the tree, one copy-paste away from a config and flagged by every secret scanner
 * (test/sre/secrets.test.ts checks that the tracked files hold none of them). The preimages are
 * public, so a plain hash hides nothing and needs nothing more. A value that is base64 of a key
 * is listed by its decoded bytes, so any encoding of it is caught.
 *
 * Adding one: `node -e "console.log(require('crypto').createHash('sha256').update(VALUE).digest('hex'))"`
 * (for a base64 key, `update(Buffer.from(VALUE, 'base64'))`), and say where it was published.
 */
const PUBLISHED_SECRET_SHA256: ReadonlySet<string> = new Set([
  // JWT_SECRET of scripts/services.mjs DEMO_ENV (npm run up)
  '9b0da5d902cfd95d23bdeebc5b39d01b65facabe974fbfe197cef7e293e68c33',
  // JWT_SECRET of docker-compose.yml
  'f1b96488164a5e61e998068ac6b9222f4a2c8445dffd2deade3015a6bd2c7064',
  // JWT_SECRET of deploy/k8s/overlays/dev
  'a7e1ebaaf408ebea11ad859d4ecddd2f78ab4b9191d6422a4851f6c194486060',
  // JWT_SECRET of test/support/service-process.ts and the gateway's socket tests
  '166be59e2b3ea487ed2e6139f4f687604ba79102958dd14d84d14b01be2f801b',
  // JWT secret of the gateway's HTTP test harness
  '9f19d126944c19b6248a37eb38872a1f99aabda31db9f6e7e46d02263027016a',
  // the "other key" of the gateway's auth tests
  'e89c3acd9a256cc507eb91a7eb958e07a6ee213fcd364cfcef09420831c2a3e1',
  // BROKER_KEYS_MASTER_KEY (decoded) of npm run up, docker-compose and the k8s dev overlay
  '4bb06f8e4e3a7715d201d573d0aa423762e55dabd61a2c02278fa56cc6d294e0',
  // master key (decoded) of test/support/service-process.ts
  '648aa5c579fb30f38af744d97d6ec840c7a91277a499a0d780f3e7314eca090b',
  // master key of the order service's test harness
  'f849d67325facf04177bc663b2dc544051831c589ef581d412f2eba44834e77c',
]);

const sha256 = (v: string | Uint8Array) => createHash('sha256').update(v).digest('hex');

/** The bytes a string encodes if it is canonical base64 of at least 16 bytes, else undefined. */
function base64Bytes(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return undefined;
  const bytes = Buffer.from(s, 'base64');
  return bytes.length >= 16 && bytes.toString('base64') === s ? bytes : undefined;
}

/**
 * True if `value` (a secret as configured, or a key's raw bytes) was ever published in the
 * repository. Surrounding whitespace does not make a value new.
 *
 * @example
 *   if (isPublishedSecret(process.env.JWT_SECRET ?? '')) throw new Error('choose your own JWT_SECRET');
 */
export function isPublishedSecret(value: string | Uint8Array): boolean {
  if (typeof value !== 'string') return PUBLISHED_SECRET_SHA256.has(sha256(value));
  const s = value.trim();
  const bytes = base64Bytes(s);
  return PUBLISHED_SECRET_SHA256.has(sha256(s)) || (bytes !== undefined && isPublishedSecret(bytes));
}

/**
 * Why `value` cannot be a secret, or undefined when it can; `howToMake` is the command the
 * message suggests.
 */
export function secretProblem(
  value: string | Uint8Array,
  howToMake = 'openssl rand -base64 48',
): string | undefined {
  const bytes = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
  if (bytes < MIN_SECRET_BYTES)
    return `must be at least ${MIN_SECRET_BYTES} bytes, got ${bytes} (generate one: ${howToMake})`;
  if (isPublishedSecret(value))
    return `is a value published in the Tickstream repository (a demo or test value), so anyone holds it: generate your own (${howToMake}; npm run up does it for you)`;
  const raw = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  // A key of one repeated byte (Buffer.alloc(32, 7)) is what demo and test keys looked like.
  if (raw.every((b) => b === raw[0])) return `is one repeated byte: generate a random one (${howToMake})`;
  return undefined;
}

/**
 * Throws a ConfigError naming `name` (never echoing the value) unless `value` is usable as a
 * secret: at least 32 bytes, not published in the repository, not one repeated byte.
 *
 * @example
 *   assertUsableSecret('JWT_SECRET', opts.secret);
 */
export function assertUsableSecret(name: string, value: string | Uint8Array, howToMake?: string): void {
  const problem = secretProblem(value, howToMake);
  if (problem) throw new ConfigError(`${name} ${problem}`);
}
