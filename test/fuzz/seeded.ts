import { mulberry32 } from '@tickstream/contracts';

/**
 * A small seeded generator of hostile inputs: the same seed gives the same cases, so a failure
 * names its seed and case index and can be replayed. FUZZ_SEED overrides the default seed.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20260402);

export function rng(seed = FUZZ_SEED): () => number {
  return mulberry32(seed);
}

const STRINGS = [
  '',
  ' ',
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  '{"$gt": ""}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  '\u0000\u0001\u0002',
  'ÅAPL',
  '株式',
  '🚀🚀🚀',
  '\u202eLPAA',
  'A'.repeat(10_000),
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  'NaN',
  '-1',
  '1e309',
];

export interface Gen {
  int(n: number): number;
  pick<T>(list: readonly T[]): T;
  value(depth?: number): unknown;
}

export function gen(seed = FUZZ_SEED): Gen {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const nested = (d: number): unknown => (d === 0 ? 'x' : int(2) ? [nested(d - 1)] : { a: nested(d - 1) });
  const value = (depth = 3): unknown => {
    switch (int(12)) {
      case 0:
        return pick(STRINGS);
      case 1:
        return pick([0, -1, 1.5, Number.MAX_SAFE_INTEGER, -Number.MAX_VALUE, 1e308]);
      case 2:
        return pick([true, false, null]);
      case 3:
        return Array.from({ length: pick([0, 1, 1000, 5000]) }, () => pick(STRINGS.slice(0, 12)));
      case 4:
        return nested(pick([50, 500, 2000]));
      case 5:
        return depth > 0 ? Array.from({ length: int(4) }, () => value(depth - 1)) : [];
      case 6:
        if (depth === 0) return {};
        return Object.fromEntries(
          Array.from({ length: int(5) }, () => [pick(STRINGS.slice(0, 17)), value(depth - 1)]),
        );
      case 7:
        return { __proto__: { admin: true }, role: 'admin' };
      case 8:
        return pick(['AAPL', 'aapl', 'BRK.B', 'TOOLONGSYMBOL1']);
      default:
        return pick(STRINGS);
    }
  };
  return { int, pick, value };
}
