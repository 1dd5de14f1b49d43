// Training throughput of @tickstream/model on a fixed synthetic panel: rows/s and wall time of
// trainForestParallel. `--rows N` (rows per symbol), `--symbols`, `--trees`, `--threads` shrink or
// reshape the run.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { predictProba } from '@tickstream/model';
import { trainForestParallel } from '@tickstream/model/node';

const FEATURES = 13;

function syntheticRows(nRows: number, seed: number): { x: Float32Array; y: Uint8Array } {
  // xorshift32: fixed data for every run, independent of the library's own PRNG.
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const x = new Float32Array(nRows * FEATURES);
  const y = new Uint8Array(nRows);
  for (let i = 0; i < nRows; i++) {
    for (let f = 0; f < FEATURES; f++) x[i * FEATURES + f] = next() * 2 - 1;
    const score =
      (x[i * FEATURES] as number) + 0.5 * (x[i * FEATURES + 1] as number) * (x[i * FEATURES + 2] as number);
    y[i] = score + 0.4 * (next() - 0.5) > 0.1 ? 1 : 0;
  }
  return { x, y };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      symbols: { type: 'string', default: '10' },
      trees: { type: 'string', default: '50' },
      threads: { type: 'string', default: String(availableParallelism()) },
    },
  });
  const perSymbol = Number(values.rows);
  const symbols = Number(values.symbols);
  const nTrees = Number(values.trees);
  const threads = Number(values.threads);
  const nRows = perSymbol * symbols;
  const { x, y } = syntheticRows(nRows, 20251127);
  const params = { nTrees, maxDepth: 10, minSamplesLeaf: 20, seed: 7 };

  const started = performance.now();
  const forest = await trainForestParallel({ x, y, nRows, nFeatures: FEATURES }, params, { threads });
  const wallS = (performance.now() - started) / 1000;

  const holdout = syntheticRows(20_000, 99);
  const p = predictProba(forest, holdout.x);
  let hits = 0;
  p.forEach((pi, i) => (hits += Number((pi > 0.5 ? 1 : 0) === holdout.y[i])));
  const nodes = forest.trees.reduce((sum, t) => sum + t.feature.length, 0);
  const rowsPerS = nRows / wallS;

  const table: [string, string][] = [
    ['rows', `${nRows} (${symbols} symbols x ${perSymbol})`],
    ['features', String(FEATURES)],
    ['trees', `${nTrees} (max depth ${params.maxDepth}, min leaf ${params.minSamplesLeaf})`],
    ['threads', String(threads)],
    ['nodes', String(nodes)],
    ['wall', `${wallS.toFixed(2)} s`],
    ['rows/s', rowsPerS.toFixed(0)],
    ['tree-rows/s', (rowsPerS * nTrees).toFixed(0)],
    ['holdout accuracy', (hits / holdout.y.length).toFixed(4)],
  ];
  for (const [k, v] of table) console.log(`${k.padEnd(18)} ${v}`);
  console.log(
    `BENCH train rows=${nRows} trees=${nTrees} wall_s=${wallS.toFixed(2)} rows_per_s=${rowsPerS.toFixed(0)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
